#!/usr/bin/python3
"""memscan.py PID HEX...: whether any of the byte strings (hex) occurs in any
readable mapping of process PID (read through /proc/PID/mem, as root). Prints
"found HEX in MAPPING" for each hit; exit 1 if any was found, 0 if none.

Mappings larger than the machine's memory are reservations, not data: under
AddressSanitizer the 14 TiB shadow (which holds poison bytes, never program
data) is one. They are skipped, and named on stderr; a daemon built without
sanitizers has none."""
import os
import sys

CHUNK = 8 << 20

pid = sys.argv[1]
needles = [bytes.fromhex(h) for h in sys.argv[2:]]
overlap = max(len(n) for n in needles) - 1
physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def scan(mem, start, end):
    """Yields the needles found in [start, end), read in chunks that overlap
    by one needle less a byte, so that none is missed at a chunk's edge."""
    tail = b""
    for at in range(start, end, CHUNK):
        try:
            mem.seek(at)
            data = tail + mem.read(min(CHUNK, end - at))
        except (OSError, ValueError, OverflowError):
            return
        for n in needles:
            if n in data:
                yield n
        tail = data[-overlap:] if overlap else b""


found = False
with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in maps:
        fields = line.split()
        start, end = (int(x, 16) for x in fields[0].split("-"))
        if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
            continue
        if end - start > physical:
            print(f"skipped (larger than memory): {line.strip()}", file=sys.stderr)
            continue
        for n in set(scan(mem, start, end)):
            found = True
            print(f"found {n.hex()} in {line.strip()}")
sys.exit(1 if found else 0)
