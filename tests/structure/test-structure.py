#!/usr/bin/python3
"""The shape of the tree, as docs/architecture.md draws it (TAP):
- every header is named by its folder ("ipc/keys.h"), and a module includes
  only the modules below it;
- no two source files call each other: read from the objects the build
  made (nm), a file's undefined symbols resolved to the file defining them;
- no file in src/ over 700 lines.
Usage: test-structure.py SOURCE_ROOT BUILD_ROOT"""
import collections
import os
import re
import subprocess
import sys

src_root, build_root = sys.argv[1], sys.argv[2]
src = os.path.join(src_root, "src")

# Each module and the modules it may include (docs/architecture.md).
BELOW = {
    "common": set(),
    "desktop": {"common"},
    "search": {"desktop", "common"},
    "history": {"common"},
    "secrets": {"common"},
    "spawn": {"common"},
    "ipc": {"desktop", "common"},
    "config": {"desktop", "spawn", "common"},
    "launcher": {"config", "desktop", "spawn", "ipc", "secrets", "search", "history", "common"},
    "cli": {"launcher", "config", "desktop", "spawn", "ipc", "secrets", "common"},
}
# Of the modules below, only these headers: the configuration names scope
# modes, unit names and settings, not the engine; the client takes the
# launcher's replies, not the daemon.
ONLY = {
    ("config", "spawn"): {"scope-mode.h", "unit-name.h", "unit-property.h"},
    ("cli", "launcher"): {"reply.h", "plan.h"},
}

n = 0
failed = 0


def result(ok, what, detail=""):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, what))
    for line in detail.splitlines():
        print("# " + line)


sources = []
for module in sorted(os.listdir(src)):
    d = os.path.join(src, module)
    if os.path.isdir(d):
        sources += [os.path.join(module, f) for f in sorted(os.listdir(d)) if f.endswith((".c", ".h"))]

bad = []
for rel in sources:
    module = rel.split("/")[0]
    for line in open(os.path.join(src, rel), encoding="utf-8"):
        m = re.match(r'#include "([^"]+)"', line)
        if not m:
            continue
        inc = m.group(1)
        # Made in the build root: the build's header, and wayland-scanner's.
        if inc == "sesame-build.h" or inc.endswith("-client-protocol.h"):
            continue
        if "/" not in inc:
            bad.append("%s: %s is not named by its folder" % (rel, inc))
            continue
        target, name = inc.split("/", 1)
        if not os.path.exists(os.path.join(src, inc)):
            bad.append("%s: %s does not exist" % (rel, inc))
        elif target != module and target not in BELOW.get(module, set()):
            bad.append("%s: includes %s, a module that is not below %s" % (rel, inc, module))
        elif (module, target) in ONLY and name not in ONLY[(module, target)]:
            bad.append("%s: includes %s (only %s of %s)" % (rel, inc, ", ".join(sorted(ONLY[(module, target)])), target))
result(not bad and sources, "headers are named by their folder and no include runs back up a layer (%d files)" % len(sources),
       "\n".join(bad))

# Objects of src/ files, by the source file they were compiled from.
objects = {}
for dirpath, _, files in os.walk(build_root):
    for f in files:
        if not f.endswith(".c.o"):
            continue
        path = os.path.join(dirpath, f)
        # meson: lib.a.p/file.c.o (a library's own folder) or exe.p/src_dir_file.c.o
        lib = os.path.basename(dirpath)
        rel = os.path.relpath(dirpath, build_root)
        if rel.startswith("src" + os.sep):
            source = os.path.join(rel.split(os.sep)[1], f[:-2])
        elif lib.endswith(".p") and f.startswith("src_"):
            parts = f[len("src_"):-2].split("_", 1)
            source = os.path.join(*parts) if len(parts) == 2 else None
        else:
            source = None
        if source and os.path.exists(os.path.join(src, source)):
            objects.setdefault(source, path)

defined = collections.defaultdict(set)
undefined = {}
for source, obj in objects.items():
    out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
    undefined[source] = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "TDBR":
            defined[parts[2]].add(source)
        elif len(parts) == 2 and parts[0] == "U":
            undefined[source].add(parts[1])

calls = {s: {d for sym in u for d in defined.get(sym, ()) if d != s} for s, u in undefined.items()}
mutual = sorted({tuple(sorted((a, b))) for a in calls for b in calls[a] if a in calls.get(b, ())})
result(len(objects) > 50 and not mutual, "no two files call each other (%d objects)" % len(objects),
       "\n".join("%s <-> %s" % m for m in mutual))

long = []
for rel in sources:
    lines = sum(1 for _ in open(os.path.join(src, rel), encoding="utf-8"))
    if lines > 700:
        long.append("%s: %d lines" % (rel, lines))
result(not long, "no file in src/ over 700 lines", "\n".join(long))

print("1..%d" % n)
sys.exit(1 if failed else 0)
