#!/usr/bin/python3
# What `meson install` would write, read from the build's introspection
# (meson introspect --installed): every file under the prefix (the user
# units too: /usr/local/lib/systemd/user for a /usr/local build), the
# commands, helpers, units, man pages and completions there, and no test
# program among them.
import json
import os
import subprocess
import sys

build, prefix = sys.argv[1], sys.argv[2]
installed = json.loads(subprocess.run(["meson", "introspect", "--installed", build], check=True,
                                      capture_output=True, text=True).stdout)
targets = sorted(installed.values())
n = 0


def check(ok, what, detail=""):
    global n
    n += 1
    print(("ok" if ok else "not ok") + f" {n} - {what}")
    if not ok and detail:
        print("# " + detail.replace("\n", "\n# "))


outside = [t for t in targets if not t.startswith(prefix.rstrip("/") + "/")]
check(not outside, f"every installed file is under the prefix {prefix}", "\n".join(outside))
names = {os.path.basename(t) for t in targets}
wanted = {"sesame", "sesame-launcherd", "sesame-dbus", "sesame-exec", "sesame-windows", "sesame-launcher.service",
          "sesame-launcher.socket", "sesame.1", "sesame-launcherd.8", "sesame-launcher.conf.5", "_sesame",
          "sesame.fish", "sesame-open.desktop", "xdg-open"}
check(wanted <= names, "the commands, helpers, units, man pages, completions, the open handler and xdg-open", str(sorted(wanted - names)))
units = [t for t in targets if t.endswith((".service", ".socket"))]
check(all(t.startswith(os.path.join(prefix, "lib/systemd/user/")) for t in units),
      "the user units in PREFIX/lib/systemd/user", "\n".join(units))
tests = [t for t in targets if os.path.basename(t) in ("noise-vectors", "test-call", "exec-expand")
         or "/tests/" in t]
check(not tests, "no test program is installed", "\n".join(tests))

# meson install --destdir twice: the same tree, byte for byte (nothing
# written embeds where it was installed to), every file under the prefix.
import hashlib
import tempfile


def tree(root):
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            out[rel] = os.readlink(p) if os.path.islink(p) else hashlib.sha256(open(p, "rb").read()).hexdigest()
    return out


with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
    ok = True
    for dest in (a, b):
        r = subprocess.run(["meson", "install", "-C", build, "--no-rebuild", "--quiet", "--destdir", dest],
                           capture_output=True, text=True)
        ok = ok and r.returncode == 0
    ta, tb = tree(a), tree(b)
    check(ok and ta and ta == tb, "meson install --destdir: two installs are the same tree, byte for byte",
          str(sorted(set(ta.items()) ^ set(tb.items()))[:10]))
    check(all(("/" + k).startswith(prefix.rstrip("/") + "/") for k in ta),
          "...every file of it under the prefix", "\n".join(k for k in ta if not ("/" + k).startswith(prefix)))
print(f"1..{n}")
