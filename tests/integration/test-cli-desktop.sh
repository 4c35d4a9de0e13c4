#!/bin/bash
# sesame entries and sesame config check, from the outside.
set -u
. "$(dirname "$0")/../tap.sh"
sesame=${SESAME:?path of the sesame binary}
fixtures=${SESAME_FIXTURES:?}

export XDG_DATA_HOME=$fixtures/entries/home XDG_DATA_DIRS=$fixtures/entries/system LANG=C.UTF-8
unset LC_ALL LC_MESSAGES LANGUAGE XDG_CURRENT_DESKTOP

sesame_plain() { "$sesame" entries 2>/dev/null; }
run "$sesame" entries
check "entries: exit 0" test "$rc" = 0
check "entries: ID<TAB>name lines" grep -qx "org.mozilla.firefox	Firefox" <<<"$out"
check "entries: sorted by ID" bash -c 'diff <(cut -f1 <<<"$1") <(cut -f1 <<<"$1" | LC_ALL=C sort)' _ "$out"
check "entries: skipped files reported with file:line" \
	grep -q "org.example.Unterminated.desktop:4: unterminated quote in Exec; skipped" <<<"$err"
check "entries: OnlyShowIn=GNOME hidden without a desktop" bash -c '! grep -q OnlyGnome <<<"$1"' _ "$out"
check "entries: NoDisplay=true not listed" bash -c '! grep -q NoDisplay <<<"$1"' _ "$out"
run "$sesame" entries --all --json
check "entries --all: NoDisplay listed, marked no_display" python3 -c '
import json, sys
e = {x["id"]: x for x in json.loads(sys.argv[1])}
assert e["org.example.NoDisplay"]["no_display"] is True and e["org.mozilla.firefox"]["no_display"] is False, e
' "$out"
check "entries: a file whose Name is not UTF-8 is skipped, the others listed" \
	eval 'grep -q "org.example.BadName.desktop:3: Name is not UTF-8 text; skipped" <<<"$err" && grep -q "^org.mozilla.firefox	" <<<"$(sesame_plain)"'

check "entries: an entry whose program is not installed is not listed" \
	bash -c '! grep -q Uninstalled <<<"$1"' _ "$(sesame_plain)"
run "$sesame" entries --all
check "entries --all: listed, and the third column says why it is not otherwise" \
	grep -qx "org.example.Uninstalled	Uninstalled	(its program is not installed)" <<<"$out"

XDG_CURRENT_DESKTOP=KDE run "$sesame" entries
check "entries: NotShowIn=KDE hidden under KDE" bash -c '! grep -q NotKde <<<"$1"' _ "$out"
XDG_CURRENT_DESKTOP=KDE run "$sesame" entries --all
check "entries --all: both shown" bash -c 'grep -q NotKde <<<"$1" && grep -q OnlyGnome <<<"$1"' _ "$out"

run "$sesame" entries --json
check "entries --json: an array of entries with what a UI shows" python3 -c '
import json, sys
a = json.loads(sys.argv[1])
by_id = {x["id"]: x for x in a}
e = by_id["org.example.Quoting"]
assert set(e) == {"id", "name", "generic_name", "comment", "icon", "keywords", "categories", "terminal", "path",
                  "exec", "exec_raw", "file", "no_display", "program_missing", "actions"}, e
l = by_id["org.example.Localized"]
assert (l["generic_name"], l["icon"], l["keywords"], l["categories"]) == \
    ("Viewer", "org.example.Localized", ["view", "look"], ["Graphics", "Viewer"]), l
t = by_id["org.example.Terminal"]
assert t["terminal"] is True and t["path"] == "/tmp" and e["terminal"] is False and e["path"] is None, t
assert by_id["org.example.Actions"]["actions"] == [
    {"id": "new-window", "name": "New Window", "icon": None},
    {"id": "private", "name": "Private Window", "icon": "org.example.Private"}], by_id["org.example.Actions"]
assert e["actions"] == [], e
assert e["exec"][:3] == ["printf", "%s|", "two words"], e
assert e["exec_raw"].startswith("printf \"%%s|\""), e
' "$out"
LANG=de_DE.UTF-8 run "$sesame" entries --actions
check "entries --actions: ID:ACTION<TAB>Name — Action lines, localized, after their entry" \
	bash -c 'grep -A2 -x "org.example.Actions	Aktionen" <<<"$1" | diff - <(printf "%s\n" "org.example.Actions	Aktionen" "org.example.Actions:new-window	Aktionen — Neues Fenster" "org.example.Actions:private	Aktionen — Private Window")' _ "$out"
run "$sesame" entries
check "entries: no action lines without --actions" bash -c '! grep -q "org.example.Actions:" <<<"$1"' _ "$out"
run "$sesame" entries --bogus
check "entries: bad option is a usage error" test "$rc" = 2

conf=$(mktemp "${TMPDIR:-/tmp}/sesame-conf.XXXXXX")
trap 'rm -f "$conf"' EXIT
cat >"$conf" <<'CONF'
[Launcher]
Scope=dbus          # dbus | systemd-run | none
[LaunchProfile dev]
Environment=A=1 "B=two words"
Secret=github-token
CONF
run "$sesame" config check "$conf"
check "config check: valid file, exit 0" test "$rc" = 0
check "config check: a summary, the default trust profile counted" grep -q "valid; 1 trust profile, 1 launch profile$" <<<"$out"

printf '[Launcher]\nScope=fast\n[LaunchProfile x]\nWorkingDirectory=rel\n' >"$conf"
run "$sesame" config check "$conf"
check "config check: invalid file, exit 1" test "$rc" = 1
check "config check: every error as file:line: message" \
	test "$out" = "$conf:2: Scope: 'fast' is not one of dbus, systemd-run, none
$conf:4: WorkingDirectory: 'rel' is not an absolute path"

run "$sesame" config check /nonexistent/launcher.conf
check "config check: a missing FILE is an error" \
	test "$rc" = 1 -a "$out" = "/nonexistent/launcher.conf: No such file or directory"
printf '[Launcher]\nScope=dbus\nthis is no line\n[LaunchProfile y]\nBogus=1\n' >"$conf"
run "$sesame" config check "$conf"
check "config check: a line it cannot read does not hide the errors after it" \
	test "$rc" = 1 -a "$out" = "$conf:3: expected '=' after the key
$conf:5: unknown key 'Bogus' in [LaunchProfile default:y]"
HOME=/nonexistent XDG_CONFIG_HOME= run "$sesame" config check
check "config check: a missing default file means the defaults" \
	test "$rc" = 0 -a "$out" = "/nonexistent/.config/sesame/launcher.conf: not present; the built-in defaults apply"
# What is configured, seen: list, show, --json; values of variables only in show.
cat >"$conf" <<'CONF'
[Launcher]
DefaultProfile=work
[TrustProfile work]
Collection=Login
[TrustProfile broken]
Collection=
[LaunchProfile work:gh]
Environment=GH_HOST=github.com
Secret=github-token
MemoryMax=2G
[LaunchProfile dev]
WorkingDirectory=/tmp
[LaunchProfile broken:x]
Environment=A=1
CONF
run "$sesame" config list "$conf"
check "config list: every trust profile, default included, with its collection" \
	eval 'test "$rc" = 0 && grep -q "^  default  *collection: any" <<<"$out" && grep -q "^  work  *collection: Login (DefaultProfile)" <<<"$out"'
check "...each launch profile by the tag that names it, its settings, variables by name only" \
	eval 'grep -q "^  gh$" <<<"$out" && grep -q "^      Environment=GH_HOST$" <<<"$out" && grep -q "^      Secret=github-token$" <<<"$out" && grep -q "^      MemoryMax=2G$" <<<"$out" && grep -q "^  default:dev$" <<<"$out" && ! grep -q github.com <<<"$out"'
check "...what is left out, and why" \
	eval 'grep -q "^  broken:x — left out: $conf:6: Collection: empty" <<<"$out" && grep -q "1 error in force" <<<"$out"'
run "$sesame" config list --json "$conf"
check "config list --json" /usr/bin/python3 -c '
import json, sys
c = json.loads(sys.argv[1])
assert [t["name"] for t in c["trust_profiles"]] == ["default", "work", "broken"], c
gh = [p for p in c["launch_profiles"] if p["name"] == "gh"][0]
assert gh["tag"] == "gh" and gh["trust"] == "work" and gh["settings"]["Environment"] == ["GH_HOST"], gh
assert gh["settings"]["Secret"] == ["github-token"] and gh["invalid"] is None, gh
assert c["errors"] == [sys.argv[2] + ":6: Collection: empty"], c
' "$out" "$conf"
run "$sesame" config show gh "$conf"
check "config show TAG: the profile's settings and values, where it is" \
	test "$rc" = 0 -a "$out" = "[LaunchProfile work:gh]  # $conf:7, --tag gh
Environment=GH_HOST=github.com
Secret=github-token
MemoryMax=2G"
run "$sesame" config show --json broken:x "$conf"
check "config show --json: a profile left out says why" /usr/bin/python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert p["invalid"].endswith(":6: Collection: empty") and p["settings"]["Environment"] == ["A=1"], p
' "$out"
run "$sesame" config show nope "$conf"
check "config show: an unknown profile is an error naming it" eval 'test "$rc" = 1 && grep -q "no launch or trust profile .nope." <<<"$err"'
run "$sesame" config check --json "$conf"
check "config check --json: the errors, and exit 1" /usr/bin/python3 -c '
import json, sys
c = json.loads(sys.argv[1])
assert c["valid"] is False and len(c["errors"]) == 1 and c["trust_profiles"] == 3 and c["launch_profiles"] == 3, c
sys.exit(sys.argv[2] != "1")
' "$out" "$rc"
run "$sesame" config
check "config without a verb: usage error" test "$rc" = 2
run "$sesame" config --help
check "config --help documents the groups" grep -q "LaunchProfile TRUST:NAME" <<<"$out"

done_testing
