#!/bin/bash
# What was launched, under control: unit settings from launch profiles read
# back from the private user manager, names a desktop can read
# (UnitNames=xdg), sesame ps / stop, one instance on request.
#
# The cgroup v2 hierarchy here has no memory or cpu controllers: the
# manager takes MemoryMax= and the like and cannot enforce them, so what is
# tested is what can be observed — the unit's properties.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs
apps=$XDG_DATA_HOME/applications
entry() { printf '[Desktop Entry]\nType=Application\nName=%s\nExec=sh -c "sleep 300" %s\n' "$2" "$1" >"$apps/$1.desktop"; }
entry org.example.Heavy Heavy
entry my-app-2 "Dashed"
entry caf$'\xc3\xa9' "Café"
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
cat >"$conf" <<'CONF'
[Launcher]
PartOf=graphical-session.target
[LaunchProfile heavy]
Slice=app-heavy.slice
Description=A heavy app
MemoryHigh=1G
MemoryMax=4G
MemorySwapMax=0
CPUWeight=20
CPUQuota=50%
IOWeight=30
TasksMax=200
ManagedOOMMemoryPressure=kill
ManagedOOMPreference=avoid
After=graphical-session.target
[LaunchProfile light]
CPUWeight=500
MemoryMax=50%
TasksMax=infinity
[LaunchProfile refused]
CPUWeight=20
MemoryHigh=0
[LaunchProfile strict]
Strict=yes
CONF

# The apps started, in order (the names they get are checked against them).
started=()
at_exit 'for p in "${started[@]}"; do kill -KILL "$p" 2>/dev/null; done'
take() { pid=$(pid_in "$out") unit=$(unit_in "$out"); [ -n "$pid" ] && started+=("$pid"); return 0; }
show() { systemctl --user show -P "$2" "$1"; }

"$sesame" keys init >/dev/null
start_daemon

# ---- unit settings
run "$sesame" launch --dry-run --json org.example.Heavy --tag heavy
check "--dry-run shows the slice and the unit settings as written" /usr/bin/python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert p["slice"] == "app-heavy.slice" and p["description"] == "Heavy (A heavy app)", p
assert p["unit_properties"] == ["PartOf=graphical-session.target", "MemoryHigh=1G", "MemoryMax=4G",
    "MemorySwapMax=0", "CPUWeight=20", "CPUQuota=50%", "IOWeight=30", "TasksMax=200",
    "ManagedOOMMemoryPressure=kill", "ManagedOOMPreference=avoid", "After=graphical-session.target"], p
assert p["strict"] is False and p["single"] is False, p
' "$out"
run "$sesame" launch org.example.Heavy --tag heavy
take
check "a launch with every setting: started in its scope" eval '[ "$rc" = 0 ] && [ -n "$unit" ]'
check "...in the profile's slice, described by the app and then the profile's Description=" \
	eval '[ "$(show "$unit" Slice)" = app-heavy.slice ] && [ "$(show "$unit" Description)" = "Heavy (A heavy app)" ]'
check "...MemoryHigh 1G, MemoryMax 4G, MemorySwapMax 0" eval '[ "$(show "$unit" MemoryHigh)" = 1073741824 ] &&
	[ "$(show "$unit" MemoryMax)" = 4294967296 ] && [ "$(show "$unit" MemorySwapMax)" = 0 ]'
check "...CPUWeight 20, CPUQuota 50% (500ms per second), IOWeight 30, TasksMax 200" \
	eval '[ "$(show "$unit" CPUWeight)" = 20 ] && [ "$(show "$unit" CPUQuotaPerSecUSec)" = 500ms ] &&
	[ "$(show "$unit" IOWeight)" = 30 ] && [ "$(show "$unit" TasksMax)" = 200 ]'
check "...ManagedOOMMemoryPressure kill, ManagedOOMPreference avoid" \
	eval '[ "$(show "$unit" ManagedOOMMemoryPressure)" = kill ] && [ "$(show "$unit" ManagedOOMPreference)" = avoid ]'
check "...PartOf (from [Launcher]) and After graphical-session.target" \
	eval '[ "$(show "$unit" PartOf)" = graphical-session.target ] && [[ " $(show "$unit" After) " == *" graphical-session.target "* ]]'

run "$sesame" launch org.example.Heavy --tag heavy --tag light
take
total=$(awk '/^MemTotal:/ { printf "%.0f", $2 * 1024 }' /proc/meminfo)
check "later tags win per setting: CPUWeight 500, MemoryMax 50% of memory, TasksMax infinity; the rest stays" \
	eval '[ "$(show "$unit" CPUWeight)" = 500 ] && [ "$(show "$unit" MemoryHigh)" = 1073741824 ] &&
	[ "$(show "$unit" TasksMax)" = infinity ] &&
	python3 -c "import sys; m, t = int(sys.argv[1]), int(sys.argv[2]); sys.exit(not abs(m - t / 2) < t / 100)" "$(show "$unit" MemoryMax)" "$total"'

# A value the manager refuses that our check lets through (MemoryHigh=0 is
# "out of range" for systemd 252): the app is not lost for it.
run "$sesame" launch org.example.Heavy --tag refused
take
check "a setting the manager refuses: the launch still works, in a scope" \
	eval '[ "$rc" = 0 ] && [ -n "$unit" ] && grep -qx "0::/app.slice/$unit" "/proc/$pid/cgroup"'
check "...made without the settings (CPUWeight not set)" test "$(show "$unit" CPUWeight)" = "[not set]"
check "...and a warning naming the manager's reason" \
	grep -q "the user manager refused the unit settings (Value specified in MemoryHigh is out of range); the scope is made without them" "$TMPDIR/daemon.log"
run "$sesame" launch org.example.Heavy --tag refused --tag strict --notify=never
check "Strict=yes: the refusal fails the launch (SpawnFailed, 19), saying why" \
	eval '[ "$rc" = 19 ] && grep -q "Strict=yes.*MemoryHigh is out of range" <<<"$err"'
# (The daemon's children: the apps started, its spare; none held.)
none_held() { local c; for c in $(cat /proc/"$daemon"/task/*/children); do
	tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null | grep -q -- "--hold" && return 1; done; return 0; }
check "...and leaves no process behind" wait_until 5000 none_held

# Checked when the configuration is read, with file:line.
bad=$TMPDIR/bad.conf
printf '[LaunchProfile x]\nMemoryMax=4Q\nCPUWeight=0\nCPUQuota=50\nTasksMax=-1\nManagedOOMPreference=never\nSlice=a--b.slice\nAfter=not a unit\nIOWeight=10001\nMemoryHigh=101%%\n' >"$bad"
run "$sesame" config check "$bad"
check "invalid unit settings: every one an error with file:line" eval '[ "$rc" = 1 ] && [ "$out" = "$bad:2: MemoryMax: '"'"'4Q'"'"' is not a size (bytes, K, M, G, T), N%, or infinity
$bad:3: CPUWeight: '"'"'0'"'"' is not a weight from 1 to 10000
$bad:4: CPUQuota: '"'"'50'"'"' is not a quota N% (1%, 50%, 200%)
$bad:5: TasksMax: '"'"'-1'"'"' is not a number of tasks, N%, or infinity
$bad:6: ManagedOOMPreference: '"'"'never'"'"' is not one of none|avoid|omit
$bad:7: Slice: '"'"'a--b.slice'"'"' is not a slice unit name
$bad:8: After: '"'"'not'"'"' is not a unit name
$bad:9: IOWeight: '"'"'10001'"'"' is not a weight from 1 to 10000
$bad:10: MemoryHigh: '"'"'101%'"'"' is not a size (bytes, K, M, G, T), N%, or infinity" ]'

# ---- UnitNames=xdg: the app ID read back from the unit name by a parser
# written from systemd's desktop environment integration document
# (app[-<launcher>]-<ApplicationID>-<RANDOM>.scope, the ID escaped as
# systemd-escape does).
sed -i 's/^\[Launcher\]$/[Launcher]\nUnitNames=xdg/' "$conf"
reloaded() { "$sesame" launch --dry-run org.example.Heavy >/dev/null 2>&1 && grep -q "configuration reloaded" "$TMPDIR/daemon.log"; }
wait_until 5000 reloaded
units=()
for id in org.example.Heavy my-app-2 caf$'\xc3\xa9'; do
	run "$sesame" launch "$id"
	take
	units+=("$unit")
done
check "UnitNames=xdg: app-sesame-<escaped ID>-<PID>.scope" \
	eval '[ "${units[0]}" = "app-sesame-org.example.Heavy-${started[-3]}.scope" ] && [ "${units[1]}" = "app-sesame-my\\x2dapp\\x2d2-${started[-2]}.scope" ]'
check "...each a real unit of the manager" eval 'for u in "${units[@]}"; do [ "$(show "$u" ActiveState)" = active ] || exit 1; done'
check "...from which the parser reads back each app ID" python3 - "${units[@]}" <<'PY'
import re, sys
def app_id(unit):
    # systemd's "Desktop Environment Integration": app-[<launcher>-]<ApplicationID>-<RANDOM>.scope;
    # the ID escaped as unit names escape (\xNN per byte), so it holds no dash.
    m = re.fullmatch(r"app-(?:([^-]+)-)?([^-]+)-([^-]+)\.scope", unit)
    assert m, unit
    raw = m.group(2).encode()
    out = re.sub(rb"\\x([0-9a-f]{2})", lambda x: bytes([int(x.group(1), 16)]), raw)
    return m.group(1), out.decode()
got = [app_id(u) for u in sys.argv[1:]]
assert got == [("sesame", "org.example.Heavy"), ("sesame", "my-app-2"), ("sesame", "café")], got
PY
sed -i '/^UnitNames=xdg$/d' "$conf"
wait_until 5000 bash -c '[ "$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")" -ge 2 ]'
run "$sesame" launch my-app-2
take
check "UnitNames=seed (the default): as before" test "$unit" = "app-open-sesame-my-app-2-$pid.scope"

# ---- sesame ps
systemctl --user stop 'app-open-sesame-*.scope' 'app-sesame-*.scope'
gone() { [ "$(systemctl --user list-units --plain --no-legend 'app-open-sesame-*' 'app-sesame-*' | wc -l)" = 0 ]; }
wait_until 5000 gone
entry org.example.Editor Editor
wait_until 5000 bash -c '"$0" launch --dry-run org.example.Editor >/dev/null 2>&1' "$sesame"
run "$sesame" launch org.example.Editor --tag light
take; editor1=$pid editor1_unit=$unit
run "$sesame" launch org.example.Heavy --tag heavy
take; heavy=$pid heavy_unit=$unit
run "$sesame" ps --json
check "ps --json: both apps, with entry, profile, tags, start, unit" /usr/bin/python3 -c '
import json, sys, time
apps = {a["pid"]: a for a in json.loads(sys.argv[1])["apps"]}
e, h = apps[int(sys.argv[2])], apps[int(sys.argv[3])]
assert len(apps) == 2, apps
assert (e["entry_id"], e["profile"], e["tags"], e["unit"]) == ("org.example.Editor", "default", ["light"], sys.argv[4]), e
assert (h["entry_id"], h["tags"], h["unit"]) == ("org.example.Heavy", ["heavy"], sys.argv[5]), h
assert abs(e["started_usec"] / 1e6 - time.time()) < 60, e
# No memory controller here: the manager cannot say (null), and the CPU time it can.
assert e["memory_bytes"] is None or e["memory_bytes"] >= 0, e
' "$out" "$editor1" "$heavy" "$editor1_unit" "$heavy_unit"
run "$sesame" ps
check "ps: a header and a line per app" eval '[ "$(wc -l <<<"$out")" = 3 ] && head -1 <<<"$out" | grep -q "PID.*ENTRY.*PROFILE/TAGS.*STARTED.*MEM.*CPU.*UNIT" &&
	grep -q "^ *$heavy  org.example.Heavy .*default/heavy" <<<"$out"'
# In a terminal: as wide as it is, whole columns going, never the tags cut.
in_terminal() { script -qec "stty cols $1; $sesame ps" /dev/null | tr -d '\r'; }
narrow=$(in_terminal 40)
check "ps in a 40-column terminal: no line wider, the columns that do not fit left out whole" \
	eval '! awk "length > 40" <<<"$narrow" | grep -q . && head -1 <<<"$narrow" | grep -q "PID  ENTRY  *PROFILE/TAGS$"'
check "...the profile and tags in full" grep -q "^ *$heavy  org.example.Heavy  *default/heavy$" <<<"$narrow"
wide=$(in_terminal 200)
check "...in a wide one, every column and the whole unit" grep -q "$heavy_unit$" <<<"$wide"

# CPU time read anew at each listing (the launcher keeps each scope's
# cpu.stat open): an app that works shows more the second time.
printf '[Desktop Entry]\nType=Application\nName=Busy\nExec=sh -c "touch %s/busy.go; while [ ! -e %s/busy.stop ]; do :; done; sleep 300"\n' \
	"$TMPDIR" "$TMPDIR" >"$apps/busy.desktop"
wait_until 5000 bash -c '"$0" launch --dry-run busy >/dev/null 2>&1' "$sesame"
run "$sesame" launch busy
take; busy=$pid busy_unit=$unit
wait_until 5000 test -e "$TMPDIR/busy.go"
cpu_of() { "$sesame" ps --json | python3 -c 'import json, sys; print([a["cpu_nsec"] for a in json.load(sys.stdin)["apps"] if a["unit"] == sys.argv[1]][0])' "$1"; }
first=$(cpu_of "$busy_unit")
more_cpu() { [ "$(cpu_of "$busy_unit")" -gt "$first" ]; }
check "ps: the CPU time of a working app grows from one listing to the next" wait_until 5000 more_cpu
touch "$TMPDIR/busy.stop"
systemctl --user stop "$busy_unit"
wait_until 5000 bash -c '! kill -0 "$0" 2>/dev/null' "$busy"
kill -KILL "$daemon"; wait "$daemon" 2>/dev/null
start_daemon
run "$sesame" ps --json
check "after the launcher was killed and started again: the same list" /usr/bin/python3 -c '
import json, sys
apps = {a["pid"]: (a["entry_id"], a["tags"], a["unit"]) for a in json.loads(sys.argv[1])["apps"]}
assert apps == {int(sys.argv[2]): ("org.example.Editor", ["light"], sys.argv[4]),
                int(sys.argv[3]): ("org.example.Heavy", ["heavy"], sys.argv[5])}, apps
' "$out" "$editor1" "$heavy" "$editor1_unit" "$heavy_unit"

# ---- sesame stop
run "$sesame" stop init.scope
check "stop: a unit that is not sesame's is refused (3)" eval '[ "$rc" = 3 ] && grep -q "nothing of sesame.s runs as .init.scope." <<<"$err"'
run "$sesame" stop "$heavy_unit"
heavy_gone() { [ "$(show "$heavy_unit" ActiveState 2>/dev/null)" != active ] && ! kill -0 "$heavy" 2>/dev/null; }
check "stop UNIT: the scope is stopped, the app gone" eval '[ "$rc" = 0 ] && wait_until 5000 heavy_gone'
run "$sesame" ps --json
check "...and ps no longer lists it" bash -c '! grep -q "org.example.Heavy" <<<"$1"' _ "$out"
# An app that ends on its own: its scope goes, and ps with it.
run "$sesame" launch org.example.Editor
take; ending=$pid ending_unit=$unit
kill_scope_processes() { local p; for p in $(systemctl --user show -P ControlGroup "$1" >/dev/null && grep -l "/$1\$" /proc/[0-9]*/cgroup 2>/dev/null | cut -d/ -f3); do kill -TERM "$p" 2>/dev/null; done; }
kill_scope_processes "$ending_unit"
ended() { ! "$sesame" ps --json | grep -q "\"$ending_unit\""; }
check "ps: an app that exited on its own is gone from the list" wait_until 5000 ended
run "$sesame" launch org.example.Editor
take; editor2=$pid
run "$sesame" stop editor
check "stop ENTRY with two apps of it: none stopped, both listed (4)" \
	eval '[ "$rc" = 4 ] && grep -q "pid $editor1" <<<"$err" && grep -q "pid $editor2" <<<"$err" && kill -0 $editor1 && kill -0 $editor2'
run "$sesame" stop --signal TERM "$editor2"
check "stop --signal TERM PID: that app alone" eval '[ "$rc" = 0 ] && wait_until 5000 bash -c "! kill -0 $editor2 2>/dev/null" && kill -0 $editor1'
run "$sesame" launch org.example.Editor
take; editor3=$pid
run "$sesame" stop --all org.example.Editor
check "stop --all ENTRY: every app of it" eval '[ "$rc" = 0 ] && [ "$(grep -c ^stopped <<<"$out")" = 2 ] &&
	wait_until 5000 bash -c "! kill -0 $editor1 2>/dev/null && ! kill -0 $editor3 2>/dev/null"'
run "$sesame" stop org.example.Editor
check "stop, nothing of it running: said so (3)" test "$rc" = 3

# ---- one instance
editors() { systemctl --user list-units --plain --no-legend 'app-open-sesame-org-example-Editor-*' | wc -l; }
run "$sesame" launch --single editor
take; single=$pid
check "--single, none running: started" eval '[ "$rc" = 0 ] && [ "$(editors)" = 1 ]'
run "$sesame" launch --single editor
check "--single again: nothing started, 'already running', exit 0" \
	eval '[ "$rc" = 0 ] && grep -q "^already running: pid=$single unit=" <<<"$out" && [ "$(editors)" = 1 ]'
run "$sesame" launch --single --json editor
check "...the reply says already_running" bash -c 'grep -q "\"already_running\":true" <<<"$1"' _ "$out"
"$sesame" stop --all editor >/dev/null
wait_until 5000 bash -c '[ "$(systemctl --user list-units --plain --no-legend "app-open-sesame-org-example-Editor-*" | wc -l)" = 0 ]'
at_once=()
for i in 1 2 3 4; do "$sesame" launch --single editor >"$TMPDIR/at-once.$i" 2>&1 & at_once+=($!); done
wait "${at_once[@]}"
for i in 1 2 3 4; do started+=($(pids_in "$(cat "$TMPDIR/at-once.$i")")); done
check "--single four times at once: one app; the others 'already running'" \
	eval '[ "$(editors)" = 1 ] && [ "$(cat "$TMPDIR"/at-once.* | grep -c "^already running: ")" = 3 ]'
printf '[LaunchProfile one]\nSingle=yes\n' >>"$conf"
wait_until 5000 bash -c '"$0" launch --dry-run org.example.Heavy --tag one >/dev/null 2>&1' "$sesame"
run "$sesame" launch editor --tag one
check "Single=yes in a tag's profile: the same" eval '[ "$rc" = 0 ] && grep -q "^already running: " <<<"$out" && [ "$(editors)" = 1 ]'

# systemd-run mode: the same settings, as -p NAME=VALUE.
reloads=$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")
sed -i 's/^\[Launcher\]$/[Launcher]\nScope=systemd-run/' "$conf"
wait_until 5000 bash -c '[ "$(grep -c "configuration reloaded" "$1")" -gt "$2" ]' _ "$TMPDIR/daemon.log" "$reloads"
run "$sesame" launch org.example.Heavy --tag heavy
take
check "Scope=systemd-run: the unit settings reach the scope too (-p)" \
	eval '[ "$rc" = 0 ] && [ "$(show "$unit" MemoryMax)" = 4294967296 ] && [ "$(show "$unit" CPUWeight)" = 20 ] &&
	[ "$(show "$unit" Slice)" = app-heavy.slice ] && [ "$(show "$unit" CPUQuotaPerSecUSec)" = 500ms ]'
pid_variable() { [ "$(tr '\0' '\n' <"/proc/$1/environ" | sed -n 's/^GIO_LAUNCHED_DESKTOP_FILE_PID=//p')" = "$1" ]; }
check "...and GIO_LAUNCHED_DESKTOP_FILE_PID is the app's PID (through systemd-run)" pid_variable "$pid"

# Records do not pile up: apps that end take theirs with them, without a
# listing (the launcher asks the manager a moment after exits).
printf '[Desktop Entry]\nType=Application\nName=Brief\nExec=true\n' >"$apps/brief.desktop"
wait_until 5000 bash -c '"$0" launch --dry-run brief >/dev/null 2>&1' "$sesame"
for i in $(seq 20); do "$sesame" launch brief >/dev/null; done
few_records() { [ "$(ls "$XDG_RUNTIME_DIR/sesame/apps" | wc -l)" -le "$(systemctl --user list-units --plain --no-legend 'app-open-sesame-*' 'app-sesame-*' | wc -l)" ]; }
check "twenty apps that ended: their records are gone too, with no sesame ps" wait_until 10000 few_records

# Without a scope (Scope=none): listed from the launcher's own table.
reloads=$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")
sed -i 's/^Scope=systemd-run$/Scope=none/' "$conf"
scope_none() { [ "$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")" -gt "$reloads" ]; }
wait_until 5000 scope_none
run "$sesame" launch org.example.Heavy --tag light
take; bare=$pid
check "GIO_LAUNCHED_DESKTOP_FILE_PID is the app's PID (without a scope)" pid_variable "$bare"
run "$sesame" ps --json
check "Scope=none: unit settings are not applied, and the log says so" \
	grep -q "org.example.Heavy: started without a scope: its unit settings (PartOf=graphical-session.target, ...) are not applied" "$TMPDIR/daemon.log"
check "an app started without a scope: listed, unit null, with its entry and tags" /usr/bin/python3 -c '
import json, sys
a = [x for x in json.loads(sys.argv[1])["apps"] if x["pid"] == int(sys.argv[2])]
assert len(a) == 1 and a[0]["unit"] is None and a[0]["entry_id"] == "org.example.Heavy" and a[0]["tags"] == ["light"], a
' "$out" "$bare"
run "$sesame" stop "$bare"
check "...and stopped by its PID (a signal: there is no unit)" eval '[ "$rc" = 0 ] && wait_until 5000 bash -c "! kill -0 $bare 2>/dev/null || grep -q \"^State:.*Z\" /proc/$bare/status"'
run "$sesame" ps --json
check "...then gone from the list" bash -c '! grep -q "\"pid\":$2," <<<"$1"' _ "$out" "$bare"

check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
