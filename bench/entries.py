#!/usr/bin/python3
"""bench/entries.py BUILDDIR [N] [ROUNDS]: a cold scan of N generated desktop
entries (default 2000) by sesame's cache and by GLib's Gio.AppInfo.get_all(),
each in a fresh process, alternating, ROUNDS rounds (default 15). Reports
medians of the scan time and of the memory each holds afterwards."""
import os
import statistics
import subprocess
import sys
import tempfile

build = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
here = os.path.dirname(os.path.abspath(__file__))

GLIB = r"""
import os, time, gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio
def rss():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
r0 = rss(); t0 = time.perf_counter()
apps = Gio.AppInfo.get_all()
t1 = time.perf_counter(); r1 = rss()
print(f"{(t1 - t0) * 1000:.3f} {r1 - r0} {len(apps)}")
"""

with tempfile.TemporaryDirectory() as tmp:
    data = os.path.join(tmp, "data")
    subprocess.run([sys.executable, os.path.join(here, "gen-entries.py"), str(n), data], check=True)
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    env = dict(os.environ, XDG_DATA_HOME=empty, XDG_DATA_DIRS=data, LANG="de_DE.UTF-8")
    env.pop("LANGUAGE", None)
    env.pop("LC_ALL", None)

    ours_ms, ours_heap, ours_rss, glib_ms, glib_rss = [], [], [], [], []
    for i in range(rounds + 2):
        a = subprocess.run([os.path.join(build, "bench", "bench-entries"), data], env=env,
                           capture_output=True, text=True, check=True).stdout.split()
        g = subprocess.run(["/usr/bin/python3", "-c", GLIB], env=env,
                           capture_output=True, text=True, check=True).stdout.split()
        if int(a[3]) != n or int(g[2]) != n:
            sys.exit(f"expected {n} entries, sesame saw {a[3]}, GLib {g[2]}")
        if i < 2:
            continue  # warm the page cache for both
        ours_ms.append(float(a[0]))
        ours_heap.append(int(a[1]))
        ours_rss.append(int(a[2]))
        glib_ms.append(float(g[0]))
        glib_rss.append(int(g[1]))

    med = statistics.median
    print(f"cold scan of {n} entries, {rounds} rounds each, alternating, fresh processes")
    print(f"sesame  scan {med(ours_ms):8.2f} ms   heap held {med(ours_heap) / 1024:8.0f} KiB"
          f" ({med(ours_heap) / n * 1000 / 1048576:.2f} MiB per 1000 entries)   rss growth {med(ours_rss) / 1024:8.0f} KiB")
    print(f"GLib    scan {med(glib_ms):8.2f} ms                                         rss growth {med(glib_rss) / 1024:8.0f} KiB")
    print(f"ratio sesame/GLib: time {med(ours_ms) / med(glib_ms):.2f}, rss growth {med(ours_rss) / med(glib_rss):.2f}")
    