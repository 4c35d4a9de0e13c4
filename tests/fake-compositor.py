#!/usr/bin/python3
"""fake-compositor.py hyprland|niri SOCKET LOG PID:CLASS:TITLE...

A FAKE of Hyprland's or niri's IPC socket, for the window backends whose
compositors are not in Debian 12 (so cannot run here): it answers the
window list in the form their documentation gives (Hyprland: j/clients,
wiki.hypr.land/IPC; niri: the "Windows" request of niri-ipc) with the
windows named on the command line, the first of them focused, and writes
every other request it gets to LOG, answering it as they do ("ok";
{"Ok":"Handled"}). It proves sesame's side of the protocol as documented,
not the compositors themselves."""
import json
import os
import socket
import sys

kind, path, log = sys.argv[1:4]
windows = [w.split(":", 2) for w in sys.argv[4:]]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(path)
server.listen(8)
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    request = b""
    while not request.endswith(b"\n") and (chunk := conn.recv(4096)):
        request += chunk
        if kind == "hyprland":
            break
    text = request.decode().strip()
    if kind == "hyprland" and text == "j/clients":
        answer = json.dumps([{"address": hex(0x5500 + i), "pid": int(p), "class": c, "title": t,
                              "focusHistoryID": i} for i, (p, c, t) in enumerate(windows)])
    elif kind == "niri" and text == '"Windows"':
        answer = json.dumps({"Ok": {"Windows": [{"id": 10 + i, "pid": int(p), "app_id": c, "title": t,
                                                 "is_focused": i == 0, "workspace_id": 1}
                                                for i, (p, c, t) in enumerate(windows)]}}) + "\n"
    else:
        with open(log, "a") as f:
            f.write(text + "\n")
        answer = "ok" if kind == "hyprland" else '{"Ok":"Handled"}\n'
    conn.sendall(answer.encode())
    conn.close()
