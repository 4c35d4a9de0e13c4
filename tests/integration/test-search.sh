#!/bin/bash
# Search and history through the daemon in a private user manager: the
# ranking table of tests/data/search/expected over its 50 entries, the
# reply's fields, frecency from real launches (and after a restart), the
# SQLite file (read back with the sqlite3 program), what is never recorded,
# forget and clear, and the history's failures: a corrupt file, a read-only
# directory, a lock held by another process, a full disk, History=no.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
fixture=$(cd "$(dirname "$0")/../data/search" && pwd)

xdg_dirs "$fixture"
export XDG_STATE_HOME=$TMPDIR/state LANG=fr_FR.UTF-8
db=$XDG_STATE_HOME/sesame/history.sqlite
mkdir -p "$TMPDIR/bin"
: >"$XDG_CONFIG_HOME/sesame/launcher.conf"
# The fixture's programs that get launched: each leaves a mark and ends.
for p in eog gimp-2.10 gnome-calculator epiphany; do
	printf '#!/bin/sh\necho "$0 $*" >>%s/ran\n' "$TMPDIR" >"$TMPDIR/bin/$p"
	chmod +x "$TMPDIR/bin/$p"
done
provide_programs "$fixture"
# Installed, and not programs the kernel can run: their launches fail.
printf 'not a program\n' >"$TMPDIR/bin/thunderbird"
printf 'not a program\n' >"$TMPDIR/bin/firefox-esr"
systemctl --user set-environment PATH="$TMPDIR/bin:/usr/bin:/bin"

at_exit 'mountpoint -q "$XDG_STATE_HOME" && umount "$XDG_STATE_HOME"'
ids() { cut -f1 <<<"$out" | head -n "$1" | tr '\n' ' ' | sed 's/ $//'; }
sql() { sqlite3 -readonly "$db" "$1" 2>&1; }
mode() { stat -c %a "$1"; }

"$sesame" keys init >/dev/null
start_daemon

# ---- did you mean: an entry that is not there, and what a search finds
run "$sesame" launch --dry-run firefox
check "an entry that does not match: EntryNotFound (10) with what a search finds first" \
	eval 'test "$rc" = 10 && grep -q "no desktop entry matches .firefox.; did you mean firefox-esr" <<<"$err"'
run "$sesame" launch --dry-run --json firefox
check "...suggestions in JSON, at most 3, the first firefox-esr" /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["error"] == "EntryNotFound" and r["suggestions"][0] == "firefox-esr" and 1 <= len(r["suggestions"]) <= 3, r
' "$out"
run "$sesame" launch --dry-run qqqqzzzz
check "...and nothing to suggest: no 'did you mean'" \
	eval 'test "$rc" = 10 && grep -q "no desktop entry matches .qqqqzzzz. (see: sesame entries)" <<<"$err"'

# ---- the ranking table
while IFS=$'\t' read -r query options expected; do
	case $query in '#'* | '') continue ;; esac
	set -- -n 10
	[ "$options" = actions ] && set -- "$@" --actions
	run "$sesame" search "$@" -- "$query"
	n=$(wc -w <<<"$expected")
	if [ "$n" = 0 ]; then
		check "'$query': nothing (exit 3), said on stderr" \
			eval '[ "$rc" = 3 ] && [ -z "$out" ] && [ "$err" = "sesame search: nothing matches '"'"'$query'"'"' (see: sesame entries)" ]'
	else
		check "'$query' -> $expected" eval '[ "$rc" = 0 ] && [ "$(ids "$n")" = "$expected" ]'
		[ "$(ids "$n")" = "$expected" ] || echo "# got: $(ids 10)"
	fi
done <"$fixture/expected"

# ---- listing, output and the reply's fields
run "$sesame" search -n 0
shown=$(grep -L '^NoDisplay=true' "$fixture"/applications/*.desktop | wc -l)
check "no query: every entry shown, sorted by name while nothing was launched" \
	eval '[ "$(wc -l <<<"$out")" = "$shown" ] && [ "$(cut -f2 <<<"$out")" = "$(cut -f2 <<<"$out" | LC_ALL=C sort -f)" ]'
run "$sesame" search -n 3 --actions firefox
check "plain output: ID<TAB>Name, an action as ID:ACTION<TAB>Name — Action" \
	eval '[ "$(head -1 <<<"$out")" = "firefox-esr	Firefox ESR" ] && grep -qx "firefox-esr:new-window	Firefox ESR — New Window" <<<"$out"'
run "$sesame" search -n 1 --json fire
check "--json: id, action, name, generic_name, icon, kind, the parts of the score, positions" \
	/usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])["results"][0]
assert r["id"] == "firefox-esr" and r["action"] is None and r["name"] == "Firefox ESR", r
assert r["generic_name"] == "Navigateur Web" and r["icon"] == "firefox-esr" and r["kind"] == "prefix", r
assert r["positions"] == [0, 1, 2, 3], r
assert r["use"] == 0 and abs(r["score"] - (0.7 * r["match"] + 0.3 * r["use"])) < 1e-5, r
' "$out"
run "$sesame" search -n 1 --json editeur
check "positions count characters, not bytes (É is one)" \
	eval '[ "$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[\"results\"][0][\"positions\"])" "$out")" = "[0, 1, 2, 3, 4, 5, 6]" ]'
run "$sesame" search -n 2 --json "lib wri"
check "every word's matches in the name" \
	eval '[ "$(/usr/bin/python3 -c "import json,sys; print(json.loads(sys.argv[1])[\"results\"][0][\"positions\"])" "$out")" = "[0, 1, 2, 12, 13, 14]" ]'
run "$sesame" search -n 0 --json --actions ""
actions=$(cat $(grep -L '^NoDisplay=true' "$fixture"/applications/*.desktop) | grep -c '^\[Desktop Action ')
check "--actions lists every action too ($actions)" \
	eval '[ "$(/usr/bin/python3 -c "import json,sys; print(sum(1 for r in json.loads(sys.argv[1])[\"results\"] if r[\"action\"]))" "$out")" = "$actions" ]'
run "$sesame" search $'\xff\xfe'
check "a query that is not UTF-8: usage error, said" eval '[ "$rc" = 2 ] && grep -q "not UTF-8" <<<"$err"'
run "$sesame" search -n 200001 fire
check "-n out of range: usage error" eval '[ "$rc" = 2 ] && grep -q "0 (all) to 100000" <<<"$err"'

# ---- frecency: the second-best match for "image", launched three times
check "before: 'image' -> gimp, then eog" eval '"$sesame" search -n 2 image | cut -f1 | tr "\n" " " | grep -qx "gimp org.gnome.eog "'
check "the history file is there from the start, empty" test "$(sql 'SELECT count(*) FROM launches')" = 0
for i in 1 2 3; do "$sesame" launch eog >/dev/null; done
run "$sesame" search -n 2 image
check "after three launches of eog, it is first for 'image'" eval '[ "$(ids 2)" = "org.gnome.eog gimp" ]'
run "$sesame" search -n 1 --json image
check "...its use part is 3/(1+3) (three launches now)" \
	/usr/bin/python3 -c 'import json,sys; u = json.loads(sys.argv[1])["results"][0]["use"]; assert abs(u - 0.75) < 0.001, u' "$out"
wait_until 3000 eval '[ "$(sql "SELECT count(*) FROM launches WHERE entry = '"'"'org.gnome.eog'"'"'")" = 3 ]'
check "written to SQLite: three rows, with the resolved entry ID" \
	test "$(sql "SELECT count(*) FROM launches WHERE entry = 'org.gnome.eog'")" = 3
check "...in WAL mode" test "$(sql 'PRAGMA journal_mode')" = wal
check "...the file 0600, its directory 0700" eval '[ "$(mode "$db")" = 600 ] && [ "$(mode "$(dirname "$db")")" = 700 ]'
"$sesame" launch --tag none-such eog >/dev/null 2>&1
"$sesame" launch --dry-run gimp >/dev/null
"$sesame" launch thunderbird >/dev/null 2>&1 # its program cannot be executed
"$sesame" launch --command -- true >/dev/null
"$sesame" launch gimp --notify=never >/dev/null
wait_until 3000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 4 ]'
check "a refused, a dry-run, a failed and a command launch are not recorded" \
	test "$(sql "SELECT group_concat(entry, ' ') FROM (SELECT entry FROM launches ORDER BY id)")" = \
	"org.gnome.eog org.gnome.eog org.gnome.eog gimp"
run "$sesame" history
check "sesame history: most used first, with count" \
	eval '[ "$rc" = 0 ] && sed -n 2p <<<"$out" | grep -Eq "^ +3 .* org\.gnome\.eog$" && sed -n 3p <<<"$out" | grep -Eq "^ +1 .* gimp$"'
run "$sesame" history --json
check "sesame history --json: enabled, stored, count, last, frecency" \
	/usr/bin/python3 -c '
import json, sys, time
h = json.loads(sys.argv[1])
assert h["enabled"] and h["stored"], h
e = h["history"][0]
assert e["entry_id"] == "org.gnome.eog" and e["action"] is None and e["count"] == 3, e
assert abs(e["last"] - time.time()) < 60 and 2.99 < e["frecency"] <= 3.0, e
' "$out"
"$sesame" launch firefox-esr:new-window >/dev/null 2>&1 || true # fails: not recorded
"$sesame" launch epiphany >/dev/null
stop_daemon
start_daemon
run "$sesame" search -n 2 image
check "after a restart of the launcher, eog is still first" eval '[ "$(ids 2)" = "org.gnome.eog gimp" ]'
run "$sesame" search -n 0
check "no query: by frecency after launches (three, then the latest one)" \
	eval '[ "$(ids 3)" = "org.gnome.eog org.gnome.Epiphany gimp" ]'

# ---- forget and clear
run "$sesame" history forget eog
check "forget ENTRY as launches name it: its launches go" \
	eval '[ "$rc" = 0 ] && [ "$out" = "forgot 3 launch(es) of org.gnome.eog" ] && [ "$(sql "SELECT count(*) FROM launches WHERE entry = '"'"'org.gnome.eog'"'"'")" = 0 ]'
check "...from the ranking at once" eval '[ "$("$sesame" search -n 1 image | cut -f1)" = gimp ]'
run "$sesame" history forget org.example.Never
check "forget an entry never launched: said" eval '[ "$rc" = 0 ] && [ "$out" = "nothing remembered of org.example.Never" ]'
run "$sesame" history clear
check "clear: nothing left, in memory or in the file" \
	eval '[ "$rc" = 0 ] && [ -z "$("$sesame" history)" ] && [ "$(sql "SELECT count(*) FROM launches") $(sql "SELECT count(*) FROM uses")" = "0 0" ]'

# ---- a lock another process holds: the row waits, the launch does not
"$sesame" launch gimp >/dev/null
wait_until 3000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 1 ]'
coproc LOCK { sqlite3 "$db"; }
locker=$LOCK_PID
kill_at_exit "$locker"
echo 'BEGIN EXCLUSIVE; SELECT "locked";' >&"${LOCK[1]}"
read -r -t 5 answer <&"${LOCK[0]}"
run "$sesame" launch gimp
check "database locked by another process: the launch works" eval '[ "$rc" = 0 ] && [ "$answer" = locked ]'
check "...the row is kept with a log line" wait_until 3000 log_has "1 launch(es) not yet written to $db: database is locked; kept"
kill "$locker"; wait "$locker" 2>/dev/null
check "...and written once the lock is gone" wait_until 10000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 2 ]'

# ---- a corrupt file is moved aside
stop_daemon
rm -f "$db-wal" "$db-shm"
head -c 8192 /dev/urandom >"$db"
start_daemon
check "corrupt file: moved aside, with one log line" \
	eval 'log_has "history: $db is corrupt" && ls "$db".corrupt-* >/dev/null'
run "$sesame" launch gimp
check "...the launch works, recorded in a new file" \
	eval '[ "$rc" = 0 ] && wait_until 3000 eval "[ \"\$(sql \"SELECT count(*) FROM launches\")\" = 1 ]"'

# ---- a read-only directory: kept in memory, nothing written there
stop_daemon
rm -rf "$XDG_STATE_HOME"
mkdir -p "$XDG_STATE_HOME"
mount --bind -o ro "$XDG_STATE_HOME" "$XDG_STATE_HOME"
: >"$TMPDIR/daemon.log"
start_daemon
run "$sesame" launch gimp
check "read-only state directory: the launch works" test "$rc" = 0
check "...the log says the history is in memory only" log_has "launches are remembered in memory only"
check "...and it still ranks this run's launches" eval '"$sesame" history | grep -Eq "^ +1 .* gimp$"'
check "...sesame history says it is not stored" eval '"$sesame" history 2>&1 >/dev/null | grep -q "in memory only"'
check "...nothing written there" test -z "$(ls -A "$XDG_STATE_HOME")"
stop_daemon
umount "$XDG_STATE_HOME"

# ---- a full disk: the row is kept and written once there is room, the
# launch not refused
mount -t tmpfs -o size=256k tmpfs "$XDG_STATE_HOME"
: >"$TMPDIR/daemon.log"
start_daemon
"$sesame" launch gimp >/dev/null
wait_until 3000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 1 ]'
dd if=/dev/zero of="$XDG_STATE_HOME/filler" bs=4k 2>/dev/null
run "$sesame" launch gimp
check "disk full: the launch works" test "$rc" = 0
check "...the row is kept, with a log line" \
	wait_until 3000 log_has "1 launch(es) not yet written to $db: database or disk is full; kept"
run "$sesame" history --json
check "...and sesame history says so: not stored, 1 unwritten" /usr/bin/python3 -c '
import json, sys
h = json.loads(sys.argv[1])
assert h["stored"] is False and h["unwritten"] == 1, h
' "$out"
run "$sesame" history
check "...also in words" grep -q "1 launch(es) not yet written" <<<"$err"
rm -f "$XDG_STATE_HOME/filler"
check "room again: the kept row is written, with no other launch" \
	wait_until 10000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 2 ]'
check "...logged, and stored again" eval 'log_has "1 launch(es) that waited are written to $db now" &&
	"$sesame" history --json | grep -q "\"stored\":true,\"unwritten\":0"'
run "$sesame" launch gimp
check "...and the next one is written too" \
	wait_until 3000 eval '[ "$(sql "SELECT count(*) FROM launches")" = 3 ]'
stop_daemon
umount "$XDG_STATE_HOME"

# ---- History=no
printf '[Launcher]\nHistory=no\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"
start_daemon
run "$sesame" launch gimp
check "History=no: the launch works" test "$rc" = 0
run "$sesame" history
check "...sesame history says it is off" eval '[ "$rc" = 0 ] && [ -z "$out" ] && grep -q "History=no" <<<"$err"'
check "...the search still answers" eval '[ "$("$sesame" search -n 1 gimp | cut -f1)" = gimp ]'
check "...nothing written" test -z "$(ls -A "$XDG_STATE_HOME")"
run "$sesame" status
check "the launcher serves on" test "$rc" = 0
stop_daemon

done_testing
