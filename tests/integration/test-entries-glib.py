#!/usr/bin/python3
"""GLib as a peer for desktop entries: Gio.AppInfo must agree with
`sesame entries --json --all` on the ID set, names and raw Exec, for the
fixture trees and for this machine's /usr/share/applications, in two
locales. Run with Debian's python3 (python3-gi). Prints TAP."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, done  # noqa: E402
import tempfile
import time


SESAME = os.environ["SESAME"]
FIXTURES = os.environ["SESAME_FIXTURES"]
# GLib's own test desktop files (tests/fixtures/glib-desktop-files/README.md)
GLIB_FILES = os.path.join(FIXTURES, "glib-desktop-files")
EXEC_EXPAND = os.environ["SESAME_EXEC_EXPAND"]

# Where we part from GLib on purpose, and why. Nothing else may differ.
KNOWN = {
    # GLib refuses a UTF-8 byte order mark; the issue asks us to accept it.
    "org.example.Bom": "sesame only",
    # GLib keeps "%x" (unknown field codes); the specification reserves them.
    "org.example.UnknownCode": "glib only",
    # A Name that is not UTF-8: GLib calls the entry "Unnamed"; the
    # specification types Name as a UTF-8 localestring, and an entry
    # without a name a person can read is skipped, with file:line.
    "org.example.BadName": "glib only",
}


# Desktop actions GLib lists and sesame leaves out, on purpose: GLib lists
# Actions= as it is; sesame keeps an action once, and only one with a
# [Desktop Action] group and a usable Exec (one without is for D-Bus
# activation, which sesame does not do; a malformed one "must not be
# executed").
KNOWN_ACTIONS = {"org.example.Actions": {"no-exec", "no-group", "bad-exec"}}


def environment(data_home, data_dirs, lang):
    env = {k: v for k, v in os.environ.items()
           if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "XDG_CURRENT_DESKTOP")}
    env.update(XDG_DATA_HOME=data_home, XDG_DATA_DIRS=data_dirs, LANG=lang)
    return env


GLIB_LISTER = r"""
import json, gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio
out = {}
for a in Gio.AppInfo.get_all():
    # sesame leaves out Exec-less entries (and GLib drops an Exec that is
    # not UTF-8 the same way)
    if a.get_commandline() is None:
        continue
    out[a.get_id()[: -len(".desktop")]] = {"name": a.get_name(), "exec_raw": a.get_commandline(),
                                           "file": a.get_filename(), "no_display": a.get_nodisplay(),
                                           "actions": [[x, a.get_action_name(x)] for x in a.list_actions()]}
print(json.dumps(out))
"""


def glib_entries(env):
    # A process of its own, so GLib reads this environment from scratch.
    r = subprocess.run(["/usr/bin/python3", "-c", GLIB_LISTER], env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def sesame_entries(env, all=True):
    r = subprocess.run([SESAME, "entries", "--json"] + (["--all"] if all else []), env=env, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return {e["id"]: e for e in json.loads(r.stdout)}, r.stderr


def compare(label, env, known, missing_programs=None):
    """missing_programs: the entries whose Exec program is not installed, if
    this tree has any: GLib leaves them out, sesame lists them with --all
    only, marked."""
    glib = glib_entries(env)
    ours, _ = sesame_entries(env)
    check(len(glib) > 0, f"{label}: GLib lists entries ({len(glib)})")
    missing = {i for i, e in ours.items() if e.get("program_missing")}
    if missing_programs is not None:
        check(missing == missing_programs, f"{label}: entries whose program is missing are marked",
              sorted(missing))
    listed, _ = sesame_entries(env, all=False)
    check(not set(listed) & missing, f"{label}: ...and not listed without --all", sorted(set(listed) & missing))
    only_ours = set(ours) - set(glib) - missing
    only_glib = set(glib) - set(ours)
    check(not set(glib) & missing, f"{label}: GLib leaves them out too", sorted(set(glib) & missing))
    expected_ours = {i for i, k in known.items() if k == "sesame only"}
    expected_glib = {i for i, k in known.items() if k == "glib only"}
    check(only_ours == expected_ours and only_glib == expected_glib,
          f"{label}: same ID set apart from the known differences",
          f"only sesame: {sorted(only_ours)}\nonly GLib: {sorted(only_glib)}")
    both = sorted(set(ours) & set(glib))
    bad = [(i, ours[i]["name"], glib[i]["name"]) for i in both if ours[i]["name"] != glib[i]["name"]]
    check(not bad, f"{label}: same names for {len(both)} entries", bad)
    bad = [(i, ours[i]["exec_raw"], glib[i]["exec_raw"]) for i in both
           if ours[i]["exec_raw"] != glib[i]["exec_raw"]]
    check(not bad, f"{label}: same raw Exec", bad)
    bad = [(i, ours[i]["file"], glib[i]["file"]) for i in both if ours[i]["file"] != glib[i]["file"]]
    check(not bad, f"{label}: same winning file", bad)
    bad = [(i, ours[i]["no_display"], glib[i]["no_display"]) for i in both
           if ours[i]["no_display"] != glib[i]["no_display"]]
    check(not bad, f"{label}: same NoDisplay", bad)

    def glib_actions(i):
        kept = []
        for action, name in glib[i]["actions"]:
            if action not in KNOWN_ACTIONS.get(i, ()) and [action, name] not in kept:
                kept.append([action, name])
        return kept
    bad = [(i, ours[i]["actions"], glib[i]["actions"]) for i in both
           if [[x["id"], x["name"]] for x in ours[i]["actions"]] != glib_actions(i)]
    with_actions = sum(1 for i in both if ours[i]["actions"])
    check(not bad, f"{label}: same desktop actions and their names ({with_actions} entries with actions)", bad)


# GLib starts a desktop entry through the program GIO_LAUNCH_DESKTOP names
# (normally its gio-launch-desktop helper), with the argv it has built from
# the entry: a recorder there writes that argv down instead of running it.
RECORDER = r"""#!/usr/bin/python3
import json, os, sys
with open(os.environ["SESAME_RECORD"], "a") as f:
    f.write(json.dumps({"file": os.environ.get("GIO_LAUNCHED_DESKTOP_FILE"), "argv": sys.argv[1:]}) + "\n")
"""

GLIB_LAUNCHER = r"""
import json, sys, gi
gi.require_version("Gio", "2.0")
from gi.repository import Gio
launched = 0
for a in Gio.AppInfo.get_all():
    # A terminal entry gets a terminal GLib finds, a D-Bus activatable one
    # goes over D-Bus: neither is the argv of its Exec.
    if a.get_commandline() is None or a.get_boolean("Terminal") or a.get_boolean("DBusActivatable"):
        continue
    uris = json.loads(sys.argv[1]).get(a.get_id(), [])
    a.launch_uris(uris, None)
    launched += 1
print(launched)
"""


def glib_argvs(env, uris_by_id, tmp):
    """{desktop file: [argv, ...]} of what GLib runs for every entry."""
    recorder = os.path.join(tmp, "recorder")
    record = os.path.join(tmp, "record.jsonl")
    with open(recorder, "w") as f:
        f.write(RECORDER)
    os.chmod(recorder, 0o755)
    if os.path.exists(record):
        os.unlink(record)
    env = dict(env, GIO_LAUNCH_DESKTOP=recorder, SESAME_RECORD=record)
    r = subprocess.run(["/usr/bin/python3", "-c", GLIB_LAUNCHER, json.dumps(uris_by_id)], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    expected = int(r.stdout) + sum(max(0, len(u) - 1) for u in uris_by_id.values())
    # The recorders run on their own: wait until all have written.
    lines = []
    for _ in range(1000):
        lines = open(record).read().splitlines() if os.path.exists(record) else []
        if len(lines) >= expected:
            break
        time.sleep(0.01)
    out = {}
    for line in lines:
        rec = json.loads(line)
        out.setdefault(rec["file"], []).append(rec["argv"])
    return out


def ours_expanded(env, data_dir, entry_id, args):
    r = subprocess.run([EXEC_EXPAND, data_dir, entry_id] + args, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(r.stderr)
    return json.loads(r.stdout)


def compare_argv(label, env, tmp):
    """The argv of every entry, run with no files, is GLib's."""
    ours, _ = sesame_entries(env)
    glib = glib_argvs(env, {}, tmp)
    by_file = {e["file"]: e for e in ours.values()}
    both = sorted(set(by_file) & set(glib))
    check(len(both) > 0, f"{label}: GLib ran entries through the recorder ({len(both)})")
    bad = [(f, by_file[f]["exec"], glib[f]) for f in both if glib[f] != [by_file[f]["exec"]]]
    check(not bad, f"{label}: the argv of every entry is the one GLib runs", bad)


with tempfile.TemporaryDirectory() as empty:
    fixtures_home = os.path.join(FIXTURES, "entries", "home")
    fixtures_system = os.path.join(FIXTURES, "entries", "system")
    glib_home = os.path.join(GLIB_FILES, "home")
    glib_usr = os.path.join(GLIB_FILES, "usr")
    for lang in ("C.UTF-8", "de_AT.UTF-8"):
        compare(f"fixtures, LANG={lang}", environment(fixtures_home, fixtures_system, lang), KNOWN,
                {"org.example.Uninstalled"})
        compare(f"/usr/share/applications, LANG={lang}", environment(empty, "/usr/share", lang), {})
    # GLib's own test files, in the languages its tests use
    for lang in ("C.UTF-8", "de_DE.UTF-8", "sv_SE.UTF-8"):
        compare(f"GLib's desktop-files, LANG={lang}", environment(glib_home, glib_usr, lang), {}, {"frobnicator"})

    # NoDisplay entries exist for GLib too: it opens them by ID, as
    # `sesame launch ID` does.
    env = environment(fixtures_home, fixtures_system, "C.UTF-8")
    hidden = [i for i, e in sesame_entries(env)[0].items() if e["no_display"]]
    opener = ("import sys, gi\ngi.require_version('Gio', '2.0')\nfrom gi.repository import Gio\n"
              "sys.exit(0 if Gio.DesktopAppInfo.new(sys.argv[1] + '.desktop') else 1)")
    opened = [subprocess.run(["/usr/bin/python3", "-c", opener, i], env=env).returncode == 0 for i in hidden]
    check(hidden == ["org.example.NoDisplay"] and all(opened),
          "a NoDisplay entry is in sesame's index and GLib opens it by ID", f"{hidden} {opened}")

    # The argv GLib runs, for every entry it lists that runs its own Exec:
    # single quotes, backslashes, %c %k %i and all.
    for lang in ("C.UTF-8", "de_AT.UTF-8"):
        compare_argv(f"fixtures, LANG={lang}", environment(fixtures_home, fixtures_system, lang), empty)
        compare_argv(f"/usr/share/applications, LANG={lang}", environment(empty, "/usr/share", lang), empty)
    compare_argv("GLib's desktop-files", environment(glib_home, glib_usr, "C.UTF-8"), empty)

    # With files and URLs: %f gives an instance per file, %F and %U take
    # them all; a local file is its path for %f and for %u (GLib's way,
    # for its FUSE mounts of remote files), a file:// URI only with
    # X-GIO-NoFuse=true, spaces and non-ASCII percent-encoded as GLib does.
    env = environment(fixtures_home, fixtures_system, "C.UTF-8")
    files = ["file:///tmp/a%20b/notes.txt", "file:///tmp/%C3%A9t%C3%A9.txt"]
    # One difference, on purpose (docs/architecture.md): GLib takes an Exec
    # with no file code as if it ended in %f (an instance per file), sesame
    # appends the arguments to the one instance.
    uris = {"org.example.Viewer.desktop": files, "org.example.Editor.desktop": files,
            "org.example.Browser.desktop": files + ["https://example.org/?q=a%20b", "file:///tmp/p.html#top"],
            "org.example.NoFuse.desktop": files + ["https://example.org/"]}
    glib = glib_argvs(env, uris, empty)
    for entry_id, given in sorted(uris.items()):
        name = entry_id[: -len(".desktop")]
        file = os.path.join(fixtures_system, "applications", entry_id)
        ours = ours_expanded(env, fixtures_system, name, given)
        check(sorted(ours) == sorted(glib.get(file, [])),
              f"{name} with {len(given)} arguments: the instances GLib runs", f"ours {ours}\nGLib {glib.get(file)}")
    # The same given as paths, as `sesame launch ID FILE` sends them.
    paths = ["/tmp/a b/notes.txt", "/tmp/été.txt"]
    ours = ours_expanded(env, fixtures_system, "org.example.Browser", paths)
    check(ours == [["true", "--new"] + paths], "%U: paths given stay paths", ours)
    ours = ours_expanded(env, fixtures_system, "org.example.NoFuse", paths)
    check(ours == [["true", "--nofuse"] + files],
          "X-GIO-NoFuse: paths become file:// URIs, encoded as GLib's g_filename_to_uri()", ours)
    ours = ours_expanded(env, fixtures_system, "org.mozilla.firefox", files)
    check(ours == [["true", "firefox"] + files], "an Exec with no file code: the arguments appended, one instance",
          ours)

    # A desktop action's argv is the one GLib runs for it (launch_action),
    # in both locales: %u with nothing gone, %% a percent.
    action_launcher = ("import sys, gi\ngi.require_version('Gio', '2.0')\nfrom gi.repository import Gio\n"
                       "a = Gio.DesktopAppInfo.new(sys.argv[1] + '.desktop')\na.launch_action(sys.argv[2], None)")
    for action in ("new-window", "private"):
        rec = os.path.join(empty, "actions.jsonl")
        recorder = os.path.join(empty, "recorder")
        env = dict(environment(fixtures_home, fixtures_system, "C.UTF-8"), GIO_LAUNCH_DESKTOP=recorder,
                   SESAME_RECORD=rec)
        if os.path.exists(rec):
            os.unlink(rec)
        subprocess.run(["/usr/bin/python3", "-c", action_launcher, "org.example.Actions", action], env=env,
                       check=True)
        for _ in range(1000):
            if os.path.exists(rec) and open(rec).read().endswith("\n"):
                break
            time.sleep(0.01)
        glib = [json.loads(line)["argv"] for line in open(rec)]
        ours = ours_expanded(env, fixtures_system, f"org.example.Actions:{action}", [])
        check(ours == glib, f"the action {action}: the argv GLib runs", f"ours {ours}\nGLib {glib}")

    # The skipped files are named, with their line, on stderr.
    _, stderr = sesame_entries(environment(fixtures_home, fixtures_system, "C.UTF-8"))
    for fixture, line, words in (("org.example.Unterminated", 4, "unterminated quote"),
                                 ("org.example.UnknownCode", 4, "unknown field code"),
                                 ("org.example.Broken", 4, "expected '=' after the key"),
                                 ("org.example.BadName", 3, "Name is not UTF-8 text; skipped"),
                                 ("org.example.BadExec", 4, "Exec is not UTF-8 text; skipped"),
                                 ("org.example.BadOptional", 4, "GenericName is not UTF-8 text; ignored")):
        check(f"{fixture}.desktop:{line}: " in stderr and words in stderr,
              f"{fixture} is skipped with file:line and the reason", stderr)

done()

