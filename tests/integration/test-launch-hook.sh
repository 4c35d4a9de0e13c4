#!/bin/bash
# The ways people launch, through the daemon in a private user manager:
# desktop actions, entry files, a picker's launch hook (with what pickers
# export, and with nothing), commands, and failures a key binding can see
# (desktop notifications, recorded by tests/notify-recorder.py).
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
recorder=$(dirname "$0")/../notify-recorder.py

xdg_dirs
apps=$XDG_DATA_HOME/applications
cat >"$apps/org.example.Editor.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Editor
Icon=accessories-text-editor
Exec=sh -c 'sleep 300' editor %F
Actions=new-window;
[Desktop Action new-window]
Name=New Window
Exec=sh -c 'sleep 300' editor --new-window %F
DESKTOP
cat >"$apps/org.example.Term.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Term
Exec=sh -c 'sleep 300' term
DESKTOP
cat >"$apps/org.example.Gone.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Gone
Icon=gone-icon
Exec=/nonexistent/bin/gone
DESKTOP
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile dev]
Environment=GREETING=hello
CONF

unit_of() { unit_in "$out"; }
cmdline() { tr '\0' ' ' <"/proc/$1/cmdline"; }
in_scope() { grep -qx "0::/app.slice/app-open-sesame-$1-$2.scope" "/proc/$2/cgroup"; }

"$sesame" keys init >/dev/null
start_daemon

# ---- desktop actions
run "$sesame" launch org.example.Editor:new-window -- a.txt
take_pid pid
check "ENTRY:ACTION: the action's Exec runs, with its files" \
	eval '[ "$rc" = 0 ] && [ "$(cmdline "$pid")" = "sh -c sleep 300 editor --new-window $PWD/a.txt " ]'
check "...in the entry's scope" in_scope org-example-Editor "$pid"
check "...described as Name — Action" \
	test "$(systemctl --user show -P Description "$(unit_of)")" = "Editor — New Window"
run "$sesame" launch editor --action new-window
take_pid pid
check "--action NAME, with the entry's short name" \
	eval '[ "$rc" = 0 ] && [ "$(cmdline "$pid")" = "sh -c sleep 300 editor --new-window " ]'
run "$sesame" launch editor:nope --notify=never
check "an action the entry does not have: EntryNotFound (10), saying so" \
	eval '[ "$rc" = 10 ] && grep -q "org.example.Editor has no action .nope. (see: sesame entries --actions)" <<<"$err"'

# ---- entry files
run "$sesame" launch "$apps/org.example.Term.desktop"
take_pid pid
check "the path of an installed .desktop file launches its entry" eval '[ "$rc" = 0 ] && in_scope org-example-Term "$pid"'
run bash -c "cd '$apps' && '$sesame' launch ./org.example.Term.desktop"
take_pid pid
check "...a relative path too" eval '[ "$rc" = 0 ] && in_scope org-example-Term "$pid"'
cp "$apps/org.example.Term.desktop" "$TMPDIR/stray.desktop"
run "$sesame" launch "$TMPDIR/stray.desktop" --notify=never
check "any other .desktop file is refused: only installed entries are launched" \
	eval '[ "$rc" = 10 ] && grep -q "stray.desktop is not an installed desktop entry: only the entries in the launcher.s index are launched" <<<"$err"'

# ---- a picker's launch hook: what it exported names the entry
DESKTOP_ENTRY_ID=org.example.Editor DESKTOP_ENTRY_ACTION=new-window run "$sesame" launch --tag dev -- sh -c 'sleep 300' editor --new-window
take_pid pid
check "DESKTOP_ENTRY_ID + DESKTOP_ENTRY_ACTION: that entry's action, with the tags" \
	eval '[ "$rc" = 0 ] && in_scope org-example-Editor "$pid" && [ "$(cmdline "$pid")" = "sh -c sleep 300 editor --new-window " ] && tr "\0" "\n" <"/proc/$pid/environ" | grep -qx GREETING=hello'
FUZZEL_DESKTOP_FILE_ID=org.example.Editor.desktop run "$sesame" launch -- sh -c 'sleep 300' editor extra-word
take_pid pid
check "FUZZEL_DESKTOP_FILE_ID: that entry; the picker's words are not passed on" \
	eval '[ "$rc" = 0 ] && in_scope org-example-Editor "$pid" && [ "$(cmdline "$pid")" = "sh -c sleep 300 editor " ]'
FUZZEL_DESKTOP_FILE_ID=org.example.Editor.desktop run "$sesame" launch -- sleep 299
take_pid pid
check "...but not for a command that does not run that entry's program (an inherited variable)" \
	eval '[ "$rc" = 0 ] && in_scope sleep "$pid" && [ "$(cmdline "$pid")" = "sleep 299 " ]'

# ---- nothing exported (Debian's fuzzel 1.8.2): the Exec recognized
run env -u DESKTOP_ENTRY_ID -u FUZZEL_DESKTOP_FILE_ID "$sesame" launch -- sh -c 'sleep 300' term
take_pid pid
check "words equal to one entry's Exec: that entry, in its scope" eval '[ "$rc" = 0 ] && in_scope org-example-Term "$pid"'
run "$sesame" launch -- sh -c 'sleep 300' editor --new-window
take_pid pid
check "...or one action's Exec, field codes removed" eval '[ "$rc" = 0 ] && in_scope org-example-Editor "$pid" &&
	[ "$(systemctl --user show -P Description "$(unit_of)")" = "Editor — New Window" ]'

# ---- commands
mkdir -p "$TMPDIR/here"
run bash -c "cd '$TMPDIR/here' && '$sesame' launch --tag dev -- sh -c 'sleep 300' other"
take_pid pid
check "a command: in app-open-sesame-<program>-<PID>.scope" eval '[ "$rc" = 0 ] && in_scope sh "$pid"'
check "...with the tags' variables, SESAME_APP_ID the program, in the client's directory" \
	eval 'tr "\0" "\n" <"/proc/$pid/environ" | grep -qx GREETING=hello && tr "\0" "\n" <"/proc/$pid/environ" | grep -qx SESAME_APP_ID=sh && [ "$(readlink "/proc/$pid/cwd")" = "$TMPDIR/here" ]'
run "$sesame" launch --command -- sh -c 'sleep 300' term
take_pid pid
check "--command: an entry's Exec still runs as a command" eval '[ "$rc" = 0 ] && in_scope sh "$pid"'
run "$sesame" launch --command editor -- x
check "--command with an ENTRY: usage error" test "$rc" = 2
run env -u DESKTOP_ENTRY_ID -u FUZZEL_DESKTOP_FILE_ID "$sesame" launch --action new-window -- sh -c 'sleep 300' other
check "--action with a command and no entry: usage error" eval '[ "$rc" = 2 ] && grep -q "goes with an ENTRY" <<<"$err"'
panel_dir=$TMPDIR/panel
XDG_CONFIG_HOME=$panel_dir "$sesame" keys init >/dev/null
"$sesame" keys authorize panel "$(cat "$panel_dir/sesame/cli.pub")" --clearance launch >/dev/null
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --notify=never -- sh -c 'sleep 300' other
check "the launch clearance may not run a command: Forbidden (14)" \
	eval '[ "$rc" = 14 ] && grep -q "may launch entries, not commands" <<<"$err"'
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --notify=never -- sh -c 'sleep 300' term
check "...not even one that is an entry's Exec" test "$rc" = 14
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch term
take_pid pid
check "...while the entry itself is fine" test "$rc" = 0

# ---- the dry run's plan: no bare label for an empty list
run "$sesame" launch --dry-run editor
check "--dry-run: nothing set is said as (none), never an empty line" \
	eval '[ "$rc" = 0 ] && grep -qx "unit:        (none)" <<<"$out" && grep -qx "secrets:     (none)" <<<"$out" && ! grep -Eq ":\s*$" <<<"$out"'
run "$sesame" launch --dry-run editor --tag dev
check "...and what is set, listed" grep -q "^variables:   GREETING SESAME_PROFILE" <<<"$out"

# ---- failures a key binding can see
notes=$TMPDIR/notes.jsonl
/usr/bin/python3 "$recorder" "$notes" >"$TMPDIR/recorder.out" 2>&1 &
notifier=$!
kill_at_exit "$notifier"
wait_until 5000 grep -q ready "$TMPDIR/recorder.out"
: >"$notes"
run "$sesame" launch no-such-app --notify=always
check "--notify=always: the exit status stays (10)" test "$rc" = 10
check "...and the same sentence is a notification: normal urgency, expiring" /usr/bin/python3 -c '
import json, sys
n = [json.loads(l) for l in open(sys.argv[1])]
assert len(n) == 1, n
assert n[0]["body"] == "no desktop entry matches '"'"'no-such-app'"'"' (see: sesame entries) (EntryNotFound)", n
assert n[0]["hints"]["urgency"] == 1 and n[0]["timeout"] == 10000, n
assert n[0]["icon"] == "dialog-error" and n[0]["app"] == "sesame", n
assert n[0]["summary"] == "Could not launch no-such-app", n
' "$notes"
check "...as on stderr" grep -q "sesame launch: no desktop entry matches 'no-such-app' (see: sesame entries) (EntryNotFound)" <<<"$err"
for i in 1 2 3; do "$sesame" launch no-such-app --notify=always 2>/dev/null; done
"$sesame" launch also-missing --notify=always 2>/dev/null
check "the same app failing again replaces its notification (replaces_id), another app's stands apart" \
	/usr/bin/python3 -c '
import json, sys
n = [json.loads(l) for l in open(sys.argv[1])]
assert len(n) == 5, n
first = n[0]["id"]
assert [x["replaces"] for x in n[1:4]] == [first] * 3 and all(x["id"] == first for x in n[:4]), n
assert n[4]["replaces"] == 0 and n[4]["id"] != first, n
' "$notes"
: >"$notes"
run "$sesame" launch gone
check "--notify=auto with stderr not a terminal: a failed spawn is notified, with the entry's icon and name" \
	/usr/bin/python3 -c '
import json, sys
n = [json.loads(l) for l in open(sys.argv[1])]
assert len(n) == 1 and n[0]["icon"] == "gone-icon" and n[0]["summary"] == "Could not launch Gone", n
assert n[0]["body"].endswith("(SpawnFailed)") and "/nonexistent/bin/gone" in n[0]["body"], n
' "$notes"
check "...the exit status is SpawnFailed's (19)" test "$rc" = 19
run "$sesame" launch 'no<such>&app' --notify=always
check "markup in the sentence is escaped" grep -q 'no&lt;such&gt;&amp;app' "$notes"
: >"$notes"
run "$sesame" launch no-such-app --notify=never
check "--notify=never: nothing shown" eval '[ "$rc" = 10 ] && [ ! -s "$notes" ]'
run "$sesame" launch term --notify=always
take_pid pid
check "a launch that works shows nothing" eval '[ "$rc" = 0 ] && [ ! -s "$notes" ]'
run "$sesame" launch no-such-app --notify=sometimes
check "--notify takes auto, always or never" eval '[ "$rc" = 2 ] && grep -q "auto, always or never" <<<"$err"'
kill "$notifier"; wait "$notifier" 2>/dev/null
run "$sesame" launch no-such-app --notify=always
check "no notification server: the failure is still reported, same status" \
	eval '[ "$rc" = 10 ] && grep -q "no desktop entry matches" <<<"$err" && grep -q "cannot show a notification" <<<"$err"'

run "$sesame" launch no-such-app
check "...and by default (auto) without a word about it" \
	eval '[ "$rc" = 10 ] && [ "$err" = "sesame launch: no desktop entry matches '"'"'no-such-app'"'"' (see: sesame entries) (EntryNotFound)" ]'

check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
