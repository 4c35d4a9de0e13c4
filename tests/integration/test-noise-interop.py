#!/usr/bin/python3
"""Our Noise against an independent implementation, python3-dissononce:
Noise_IK_25519_ChaChaPoly_BLAKE2s with a prologue, dissononce as initiator
against our responder and as responder against our initiator, then transport
messages both ways; a tampered message and a wrong static key must fail.
Our side is tests/noise-peer over a pipe. Prints TAP."""
import os
import struct
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, done  # noqa: E402

from dissononce.cipher.chachapoly import ChaChaPolyCipher
from dissononce.dh.x25519.x25519 import X25519DH
from dissononce.hash.blake2s import Blake2sHash
from dissononce.processing.handshakepatterns.interactive.IK import IKHandshakePattern
from dissononce.processing.impl.cipherstate import CipherState
from dissononce.processing.impl.handshakestate import HandshakeState
from dissononce.processing.impl.symmetricstate import SymmetricState


PEER = os.environ["SESAME_NOISE_PEER"]
PROTOCOL = "Noise_IK_25519_ChaChaPoly_BLAKE2s"
PROLOGUE = b"sesame prologue: pid 10 uid 1000, pid 20 uid 1000"
dh = X25519DH()


def handshake_state():
    return HandshakeState(SymmetricState(CipherState(ChaChaPolyCipher()), Blake2sHash()), X25519DH())


def start_peer(role, s, rs):
    return subprocess.Popen([PEER, role, PROTOCOL, s.private.data.hex(), rs.data.hex() if rs else "-",
                             PROLOGUE.hex()], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def send(p, data):
    p.stdin.write(struct.pack(">I", len(data)) + bytes(data))
    p.stdin.flush()


def recv(p):
    head = p.stdout.read(4)
    if len(head) < 4:
        return None
    (length,) = struct.unpack(">I", head)
    return p.stdout.read(length)


def finish(p):
    p.stdin.close()
    err = p.stderr.read().decode()
    return p.wait(timeout=10), err


def dissononce_initiates(payload, prologue=PROLOGUE, wrong_responder_key=False, tamper=None):
    """Starts our responder and sends it dissononce's first IK message
    (optionally for another responder key, another prologue, or altered by
    `tamper`). Returns (peer, handshake state, message sent)."""
    ours, theirs = dh.generate_keypair(), dh.generate_keypair()
    responder_key = dh.generate_keypair().public if wrong_responder_key else ours.public
    peer = start_peer("responder", ours, None)
    hs = handshake_state()
    hs.initialize(IKHandshakePattern(), True, prologue, s=theirs, rs=responder_key)
    msg = bytearray()
    hs.write_message(payload, msg)
    if tamper:
        tamper(msg)
    send(peer, msg)
    return peer, hs, msg


# dissononce initiates, we respond.
peer, hs, msg = dissononce_initiates(b"dissononce-init")
payload = bytearray()
reply = recv(peer)
cs = hs.read_message(reply, payload) if reply is not None else None
check(cs is not None and bytes(payload) == b"echo:dissononce-init",
      "IK, dissononce initiator -> sesame responder: handshake with payloads both ways", payload)
if cs:
    send_cs, recv_cs = cs
    ok = True
    for i in range(3):
        text = f"dissononce-#{i}".encode()
        send(peer, send_cs.encrypt_with_ad(b"", text))
        back = recv(peer)
        ok = ok and back is not None and recv_cs.decrypt_with_ad(b"", back) == b"echo:" + text
    check(ok, "IK: transport messages both ways after dissononce initiated")
rc, err = finish(peer)
check(rc == 0, "IK: sesame responder ended cleanly", err)

# We initiate, dissononce responds.
ours, theirs = dh.generate_keypair(), dh.generate_keypair()
peer = start_peer("initiator", ours, theirs.public)
hs = handshake_state()
hs.initialize(IKHandshakePattern(), False, PROLOGUE, s=theirs)
payload = bytearray()
hs.read_message(recv(peer), payload)
check(bytes(payload) == b"sesame-init", "IK, sesame initiator -> dissononce responder: first payload", payload)
check(hs.rs.data == ours.public.data, "IK: dissononce learned our static key")
msg = bytearray()
# Split gives (initiator-to-responder, responder-to-initiator) to both sides.
recv_cs, send_cs = hs.write_message(b"dissononce-resp", msg)
send(peer, msg)
ok = True
texts = []
for i in range(4):
    data = recv(peer)
    if data is None:
        ok = False
        break
    text = recv_cs.decrypt_with_ad(b"", data)
    texts.append(text)
    send(peer, send_cs.encrypt_with_ad(b"", b"echo:" + text))
check(ok and texts[0] == b"got:dissononce-resp", "IK: sesame decrypted dissononce's handshake payload", texts)
rc, err = finish(peer)
check(ok and rc == 0, "IK: transport messages both ways after sesame initiated", err)

# A flipped bit in the first message: our responder must refuse it.
def flip_last_bit(msg):
    msg[-1] ^= 0x01


peer, hs, msg = dissononce_initiates(b"dissononce-init", tamper=flip_last_bit)
check(recv(peer) is None, "tampered handshake message: no reply")
rc, err = finish(peer)
check(rc != 0 and "handshake" in err, "tampered handshake message: sesame fails the handshake", err)

# A tampered transport message.
peer, hs, msg = dissononce_initiates(b"x")
send_cs, recv_cs = hs.read_message(recv(peer), bytearray())
ct = bytearray(send_cs.encrypt_with_ad(b"", b"hello"))
ct[0] ^= 0x80
send(peer, ct)
check(recv(peer) is None, "tampered transport message: no reply")
rc, err = finish(peer)
check(rc != 0 and "bad transport message" in err, "tampered transport message: refused", err)

# dissononce thinks our static key is another one: our responder cannot
# decrypt the first message.
peer, hs, msg = dissononce_initiates(b"x", wrong_responder_key=True)
rc, err = finish(peer)
check(rc != 0, "wrong responder static key: the handshake fails", err)

# A different prologue on one side (as when the PIDs or UIDs differ).
peer, hs, msg = dissononce_initiates(b"x", prologue=PROLOGUE + b"!")
rc, err = finish(peer)
check(rc != 0, "prologue mismatch: the handshake fails", err)

done()
