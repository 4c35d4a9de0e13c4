#!/usr/bin/python3
"""channel-thief.py NEEDLE [hidden:]PID...: a process of the same user
without privileges (run it with every capability dropped) goes after a
service's hand-over channel: it takes every socket the given processes hold
— opening /proc/PID/fd/N, then pidfd_getfd(2), which a process that may
ptrace the target gets — and peeks (MSG_PEEK: nothing is consumed) at what
is queued on each for NEEDLE (the launch's secret). PIDs marked hidden:
(the launcher, which is not dumpable) must give none of their descriptors.
Exit 1 if the needle was seen or a hidden process gave a descriptor; 0
otherwise. Prints what it took."""
import ctypes
import os
import socket
import stat
import sys

libc = ctypes.CDLL(None, use_errno=True)
SYS_pidfd_open, SYS_pidfd_getfd = 434, 438

needle = sys.argv[1].encode()
bad = []
for arg in sys.argv[2:]:
    hidden = arg.startswith("hidden:")
    pid = int(arg.removeprefix("hidden:"))
    pidfd = libc.syscall(SYS_pidfd_open, pid, 0)
    try:
        fds = [int(f) for f in os.listdir(f"/proc/{pid}/fd")]
    except OSError:
        fds = range(3, 256)
    taken = 0
    for fd in fds:
        path = f"/proc/{pid}/fd/{fd}"
        try:
            if not stat.S_ISSOCK(os.stat(path).st_mode):
                continue
            os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
            bad.append(f"{pid}: opened socket {fd} through /proc")
        except OSError:
            pass
        got = libc.syscall(SYS_pidfd_getfd, pidfd, fd, 0) if pidfd >= 0 else -1
        if got < 0:
            continue
        taken += 1
        if hidden:
            bad.append(f"{pid}: took descriptor {fd}")
        try:
            s = socket.socket(fileno=got)
            data = s.recv(1 << 20, socket.MSG_PEEK | socket.MSG_DONTWAIT)
            if needle in data:
                bad.append(f"{pid}: the needle queued on socket {fd}")
            s.detach()
        except OSError:
            pass
        os.close(got)
    print(f"{pid}: took {taken} sockets")
print("got: " + ("; ".join(bad) if bad else "nothing"))
sys.exit(1 if bad else 0)
