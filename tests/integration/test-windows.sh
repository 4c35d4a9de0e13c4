#!/bin/bash
# Run or raise in a headless sway (tests/sway.sh): foot windows of two
# launches and one of a foot started outside sesame; sesame windows says
# whose each is, sesame focus focuses an app's most recently focused
# window (read back from sway's tree), launch --raise and --single focus
# instead of launching, and launch when the app has no window.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
. "$(dirname "$0")/../sway.sh"

check "sway runs headless" sway_start
at_exit sway_stop
sway_ipc() { local s; for s in "$sway_dir"/sway-ipc.*.sock; do [ -S "$s" ] && { SWAYSOCK=$s; return 0; }; done; return 1; }
wait_until 5000 sway_ipc
export SWAYSOCK

xdg_dirs
desktop_entry foot "foot sleep 300" Name=Foot
desktop_entry org.example.Term "foot --app-id=org.example.Term sleep 300" Name=Term
desktop_entry org.example.Headless "sleep 300" Name=Headless
desktop_entry org.example.Console "foot --app-id=console-app sleep 300" Name=Console StartupWMClass=console-app
# A single-instance app: footclient hands its window to a running foot
# server and waits; the window is the server's (its process, its scope).
desktop_entry org.example.FootServer "foot --server=$TMPDIR/foot.sock" Name=FootServer
desktop_entry org.example.FootClient "footclient --server-socket=$TMPDIR/foot.sock --app-id=handed sleep 300" Name=FootClient
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile one]
Single=yes
CONF
"$sesame" keys init >/dev/null
start_daemon
# The session's display, as a compositor exports it.
systemctl --user set-environment WAYLAND_DISPLAY="$WAYLAND_DISPLAY"

tree() { swaymsg -t get_tree; }
has_window() { tree | grep -q "\"pid\": $1,"; }
focused_pid() { tree | /usr/bin/python3 -c '
import json, sys
def walk(n):
    if n.get("focused") and n.get("pid"):
        print(n["pid"])
    for c in n.get("nodes", []) + n.get("floating_nodes", []):
        walk(c)
walk(json.load(sys.stdin))'; }
windows_of() { tree | grep -c "\"app_id\": \"$1\""; }

run "$sesame" launch foot
take_pid first
wait_until 10000 has_window "$first"
run "$sesame" launch foot
take_pid second
check "two foot windows of two launches" wait_until 10000 has_window "$second"
foot --app-id=outside sleep 300 2>>"$TMPDIR/foot.log" &
outside=$!
kill_at_exit "$outside"
check "...and one of a foot started outside sesame" wait_until 10000 has_window "$outside"

run "$sesame" windows --json
check "sesame windows lists the three, each with its app: foot, foot, and - for the one sesame did not start" \
	/usr/bin/python3 -c '
import json, sys
w = {x["pid"]: x for x in map(json.loads, sys.argv[1].splitlines())}
first, second, outside = map(int, sys.argv[2:5])
assert w[first]["entry_id"] == "foot" and w[second]["entry_id"] == "foot", w
assert w[outside]["entry_id"] is None and w[outside]["app_id"] == "outside", w
assert w[first]["unit"].startswith("app-open-sesame-foot-") and w[outside]["unit"] != w[first]["unit"], w
assert [x["focused"] for x in w.values()].count(True) == 1, w
' "$out" "$first" "$second" "$outside"
run "$sesame" windows
check "...and as a table, most recently focused first (the outside one: it opened last)" \
	eval '[ "$rc" = 0 ] && sed -n 2p <<<"$out" | grep -q " $outside  *- .*(focused)"'

run "$sesame" focus foot
check "sesame focus foot: foot's most recently focused window (the second launch's), read back from sway" \
	eval '[ "$rc" = 0 ] && grep -q "^focused: .*pid $second" <<<"$out" && [ "$(focused_pid)" = "$second" ]'
run "$sesame" focus "$first"
check "sesame focus PID: that app's window" eval '[ "$rc" = 0 ] && [ "$(focused_pid)" = "$first" ]'

run "$sesame" ps
check "sesame ps: a WINDOWS column, one window for each foot" \
	eval '[ "$rc" = 0 ] && head -1 <<<"$out" | grep -q "WINDOWS" && [ "$(grep -c "^ *[0-9]*  foot .* 1  app-open-sesame-foot-" <<<"$out")" = 2 ]'
run "$sesame" ps --json
check "...and their titles in --json" /usr/bin/python3 -c '
import json, sys
apps = {a["pid"]: a for a in json.loads(sys.argv[1])["apps"]}
assert len(apps[int(sys.argv[2])]["windows"]) == 1 and isinstance(apps[int(sys.argv[2])]["windows"][0], str), apps
' "$out" "$first"

swaymsg "[pid=$outside] focus" >/dev/null
run "$sesame" launch --raise foot
check "launch --raise foot: foot's most recent window focused (the first, focused last), nothing launched" \
	eval '[ "$rc" = 0 ] && grep -q "^focused: " <<<"$out" && ! grep -q "^pid=" <<<"$out" && [ "$(focused_pid)" = "$first" ] && [ "$(windows_of foot)" = 2 ]'
swaymsg "[pid=$outside] focus" >/dev/null
run "$sesame" launch --single foot
check "launch --single foot: already running, its window focused instead" \
	eval '[ "$rc" = 0 ] && grep -q "^already running: " <<<"$out" && grep -q "^focused: " <<<"$out" && [ "$(focused_pid)" != "$outside" ] && [ "$(windows_of foot)" = 2 ]'

swaymsg "[pid=$outside] focus" >/dev/null
run "$sesame" launch --raise -- foot sleep 300
check "--raise in a picker's launch hook (the words are foot's Exec): focused, nothing launched" \
	eval '[ "$rc" = 0 ] && grep -q "^focused: " <<<"$out" && [ "$(focused_pid)" != "$outside" ] && [ "$(windows_of foot)" = 2 ]'
swaymsg "[pid=$outside] focus" >/dev/null
run "$sesame" launch foot --tag one
check "a profile's Single=yes: the running foot's window focused, nothing launched" \
	eval '[ "$rc" = 0 ] && grep -q "^already running: " <<<"$out" && [ "$(focused_pid)" != "$outside" ] && [ "$(windows_of foot)" = 2 ]'

run "$sesame" launch --raise org.example.Term
take_pid term
check "launch --raise of an app with no window: launched" \
	eval '[ "$rc" = 0 ] && grep -q "^pid=" <<<"$out" && wait_until 10000 has_window "$term"'
run "$sesame" launch org.example.Headless
take_pid headless
run "$sesame" focus org.example.Headless
check "sesame focus of an app with no window: 3, saying so" eval '[ "$rc" = 3 ] && grep -q "no window of org.example.Headless" <<<"$err"'
run "$sesame" launch --single org.example.Headless
take_pid headless2
check "launch --single of an app that runs without a window: launched after all" \
	eval '[ "$rc" = 0 ] && [ -n "$headless2" ] && [ "$headless2" != "$headless" ] && kill -0 "$headless2"'
run "$sesame" launch org.example.FootServer
take_pid server
wait_until 5000 test -S "$TMPDIR/foot.sock"
run "$sesame" launch org.example.FootClient
take_pid client
handed() { tree | grep -q '"app_id": "handed"'; }
wait_until 10000 handed
run "$sesame" windows --json
check "a single-instance app: the window a second launch asked for is the first instance's (its process, its scope)" \
	/usr/bin/python3 -c '
import json, sys
w = [x for x in map(json.loads, sys.argv[1].splitlines()) if x["app_id"] == "handed"]
assert len(w) == 1 and w[0]["pid"] == int(sys.argv[2]) and w[0]["entry_id"] == "org.example.FootServer", w
' "$out" "$server"
run "$sesame" focus org.example.FootClient
check "...so the launch that asked has none of its own (3)" test "$rc" = 3

# The same through wlroots' foreign-toplevel protocol (sway speaks it too;
# forced): no PIDs there, so a window is an app's by its app_id.
swaymsg "[pid=$outside] focus" >/dev/null
run env SESAME_WINDOWS_BACKEND=wlr "$sesame" windows --json
check "wlr-foreign-toplevel: the windows, with their app_id and title, the focused one first" \
	/usr/bin/python3 -c '
import json, sys
w = list(map(json.loads, sys.argv[1].splitlines()))
assert w[0]["focused"] and w[0]["app_id"] == "outside" and w[0]["pid"] == 0, w
foot = [x for x in w if x["app_id"] == "foot"]
assert len(foot) == 2 and all(x["entry_id"] == "foot" for x in foot), w
' "$out"
run "$sesame" launch org.example.Console
take_pid console
wait_until 10000 has_window "$console"
run env SESAME_WINDOWS_BACKEND=wlr "$sesame" windows --json
check "...a window whose app_id is an entry's StartupWMClass= is that app's" /usr/bin/python3 -c '
import json, sys
w = [x for x in map(json.loads, sys.argv[1].splitlines()) if x["app_id"] == "console-app"]
assert len(w) == 1 and w[0]["entry_id"] == "org.example.Console", w
' "$out"
run env SESAME_WINDOWS_BACKEND=wlr "$sesame" focus foot
focused_foot() { local p; p=$(focused_pid); [ "$p" = "$first" ] || [ "$p" = "$second" ]; }
check "wlr-foreign-toplevel: sesame focus foot activates a foot window (read back from sway)" \
	eval '[ "$rc" = 0 ] && wait_until 5000 focused_foot'
swaymsg "[pid=$outside] focus" >/dev/null
run env SESAME_WINDOWS_BACKEND=wlr "$sesame" launch --raise foot
check "...and launch --raise, nothing launched" \
	eval '[ "$rc" = 0 ] && grep -q "^focused: " <<<"$out" && wait_until 5000 focused_foot && [ "$(windows_of foot)" = 2 ]'

run env -u SWAYSOCK -u WAYLAND_DISPLAY -u DISPLAY "$sesame" focus foot
check "no window backend in the session: 5, naming what is missing" eval '[ "$rc" = 5 ] && grep -q "SWAYSOCK.*WAYLAND_DISPLAY.*DISPLAY" <<<"$err"'

"$sesame" stop --all foot >/dev/null 2>&1
done_testing
