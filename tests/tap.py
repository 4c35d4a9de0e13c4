"""Minimal TAP for the Python tests: check(ok, what, detail), then done()."""
import sys

_n = 0
_failed = 0


def check(ok, what, detail=""):
    global _n, _failed
    _n += 1
    print(("ok" if ok else "not ok") + f" {_n} - {what}")
    if not ok:
        _failed += 1
        for line in str(detail).splitlines():
            print("# " + line)


def done():
    print(f"1..{_n}")
    sys.exit(1 if _failed else 0)
