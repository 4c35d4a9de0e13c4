#!/usr/bin/python3
"""memscan.py PID HEX...: whether any of the byte strings (hex) occurs in any
readable mapping of process PID (read through /proc/PID/mem, as root). Prints
"found HEX in MAPPING" for each hit; exit 1 if any was found, 0 if none."""
import sys

pid = sys.argv[1]
needles = [bytes.fromhex(h) for h in sys.argv[2:]]
found = False
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
            continue
        try:
            mem.seek(start)
            data = mem.read(end - start)
        except (OSError, ValueError, OverflowError):
            continue
        for n in needles:
            if n in data:
                found = True
                print(f"found {n.hex()} in {line.strip()}")
sys.exit(1 if found else 0)
