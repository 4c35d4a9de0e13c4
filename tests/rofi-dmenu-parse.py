#!/usr/bin/python3
# A picker for tests: reads sesame menu's list on stdin exactly as rofi's
# dmenu mode does and writes what rofi would make of each line to FILE as
# JSON ([{"entry": ..., "icon": ...}]); prints nothing (cancelled).
#
# Rewritten from rofi's source (github.com/davatorium/rofi, commit 9d785b5,
# MIT): source/modes/dmenu.c read_add() cuts a line at its first NUL — the
# text before it is the entry — and hands the rest to
# source/modes/script.c dmenuscript_parse_entry_extras(), which splits it
# at 0x1f into key/value pairs and keeps "icon" (compared without case) as
# the icon's name; an odd last piece is dropped. Lines end at '\n'.
#
#   rofi-dmenu-parse.py FILE
import json
import sys

KEYS = {"icon", "display", "meta", "info", "nonselectable", "permanent", "urgent", "active"}

entries = []
for line in sys.stdin.buffer.read().split(b"\n"):
    if not line:
        continue
    entry = {"entry": None, "icon": None, "unknown": []}
    nul = line.find(b"\0")
    text = line if nul < 0 else line[:nul]
    if nul >= 0:
        # g_strsplit(buffer, "\x1f", -1), read two at a time while both exist.
        extras = line[nul + 1:].split(b"\x1f")
        for i in range(0, len(extras) - 1, 2):
            key, value = extras[i].decode(), extras[i + 1].decode()
            if key.lower() == "icon":
                entry["icon"] = value
            elif key.lower() not in KEYS:
                entry["unknown"].append(key)
    entry["entry"] = text.decode("utf-8", "replace")  # rofi_force_utf8
    entries.append(entry)
with open(sys.argv[1], "w") as f:
    json.dump(entries, f)
