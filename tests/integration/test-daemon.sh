#!/bin/bash
# The daemon end to end through its socket, inside a private user manager:
# sesame launch -> Noise IK -> plan -> scope -> reply.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../spare.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs
mkdir -p "$XDG_DATA_HOME/applications/tools"
cat >"$XDG_DATA_HOME/applications/org.example.Sleeper.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Sleeper
Exec=sh -c "sleep 300; :" sleeper
DESKTOP
cat >"$XDG_DATA_HOME/applications/tools/probe.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Probe
Exec=sh -c "exit 0"
DESKTOP
cat >"$XDG_DATA_HOME/applications/org.example.Viewer.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Viewer
Exec=sh -c 'sleep 300' viewer --open %f
DESKTOP
cat >"$XDG_DATA_HOME/applications/org.example.Gone.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Uninstalled
Exec=/nonexistent/bin/gone
DESKTOP
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile dev]
Environment=GREETING=hello "SPACED=a b"
WorkingDirectory=/tmp
[LaunchProfile secretive]
Secret=github-token
[LaunchProfile work:corp]
Environment=CORP=1
CONF

run "$sesame" keys init
check "keys init" test "$rc" = 0
start_daemon
check "the daemon starts and publishes its key" test -s "$XDG_RUNTIME_DIR/sesame/launcher.pub"
check "socket directory 0700, socket 0600" test "$(stat -c %a "$XDG_RUNTIME_DIR/sesame")" = 700 -a \
	"$(stat -c %a "$XDG_RUNTIME_DIR/sesame/launcher.sock")" = 600

run "$sesame" status --json
check "status through the socket" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert s["entries"] == 4 and s["launches"] == 0 and s["version"], s
' "$out"

# The harness's manager has no display: said at start, once, and when one
# comes.
warned() { grep -q "has neither WAYLAND_DISPLAY nor DISPLAY: apps that open a window will fail at once" "$TMPDIR/daemon.log"; }
check "no display in the user manager: the launcher warns at start" wait_until 5000 warned
systemctl --user set-environment WAYLAND_DISPLAY=wayland-test
"$sesame" launch --dry-run sleeper >/dev/null 2>&1
again() { grep -q "has a display again" "$TMPDIR/daemon.log"; }
check "...says when one comes, and warned only once" eval 'wait_until 5000 again && [ "$(grep -c "nor DISPLAY" "$TMPDIR/daemon.log")" = 1 ]'
systemctl --user unset-environment WAYLAND_DISPLAY

run "$sesame" launch sleeper --tag dev --tag work:corp -- extra-arg
take_pid pid
check "launch by the last segment of the ID, with tags: exit 0" test "$rc" = 0
check "in its scope, named after the app's PID" \
	grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$pid.scope" "/proc/$pid/cgroup"
# No journald here: Output=journal (the default) falls back to the
# launcher's stderr, said once however many launches.
"$sesame" launch --dry-run sleeper >/dev/null 2>&1
run "$sesame" launch sleeper
take_pid second
check "no journald: the launch succeeds, its stderr the launcher's, and one log line says so" \
	eval '[ "$rc" = 0 ] && [ "$(readlink "/proc/$second/fd/2")" = "$(readlink "/proc/$daemon/fd/2")" ] &&
		[ "$(grep -c "no systemd-journald listens" "$TMPDIR/daemon.log")" = 1 ]'
env_of() { tr '\0' '\n' <"/proc/$pid/environ"; }
check "profile variables reach the app" bash -c 'grep -qx GREETING=hello <<<"$1" && grep -qx "SPACED=a b" <<<"$1" && grep -qx CORP=1 <<<"$1"' _ "$(env_of)"
check "implicit variables" bash -c 'grep -qx SESAME_PROFILE=default <<<"$1" && grep -qx SESAME_APP_ID=org.example.Sleeper <<<"$1" && grep -qx "SESAME_SOCKET=$2" <<<"$1"' _ "$(env_of)" "$XDG_RUNTIME_DIR/sesame/launcher.sock"
check "the tag's working directory" test "$(readlink "/proc/$pid/cwd")" = /tmp
check "one log line for the launch, with what was asked and counts, no values" \
	grep -q "launched org.example.Sleeper entry_id=org.example.Sleeper pid=$pid unit=app-open-sesame-org-example-Sleeper-$pid.scope via_scope=true env_count=[0-9]* requested_id=sleeper tag_count=2 secret_count=0 client=cli" "$TMPDIR/daemon.log"
check "extra arguments appended" bash -c 'tr "\0" " " </proc/$1/cmdline | grep -q "sleeper extra-arg"' _ "$pid"
# As GLib sets them for the apps it launches (GNOME Shell matches windows
# to entries by them): the desktop file, and the app's own PID.
gio_launched() {
	test "$(envvar "$1" GIO_LAUNCHED_DESKTOP_FILE)" = "$XDG_DATA_HOME/applications/org.example.Sleeper.desktop" &&
		test "$(envvar "$1" GIO_LAUNCHED_DESKTOP_FILE_PID)" = "$1"
}
check "GIO_LAUNCHED_DESKTOP_FILE and _PID as GLib sets them (a held child in its scope)" gio_launched "$pid"

XDG_ACTIVATION_TOKEN=tok-123 run "$sesame" launch org.example.Sleeper
take_pid pid2
check "activation token as XDG_ACTIVATION_TOKEN and DESKTOP_STARTUP_ID" bash -c \
	'e=$(tr "\0" "\n" </proc/$1/environ); grep -qx XDG_ACTIVATION_TOKEN=tok-123 <<<"$e" && grep -qx DESKTOP_STARTUP_ID=tok-123 <<<"$e"' _ "$pid2"

# The spare: a held sesame-exec forked ahead, which the next launch becomes.
has_spare() { [ -n "$(spare_of "$daemon")" ]; }
check "a spare sesame-exec waits for the next launch" wait_until 5000 has_spare
spare=$(spare_of "$daemon")
check "...with an empty environment and only fds 0-4" \
	eval 'test ! -s /proc/$spare/environ && test "$(ls /proc/$spare/fd | sort -n | tr "\n" " ")" = "0 1 2 3 4 "'
run "$sesame" launch org.example.Sleeper
take_pid pid4
check "a launch takes the spare: the app is that process, in its scope" \
	eval 'test "$pid4" = "$spare" && grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$pid4.scope" /proc/$pid4/cgroup'
check "...with GIO_LAUNCHED_DESKTOP_FILE and _PID (the spare's PID)" gio_launched "$pid4"
new_spare() { local p; p=$(spare_of "$daemon"); [ -n "$p" ] && [ "$p" != "$spare" ]; }
check "...and a new spare is forked after the reply" wait_until 5000 new_spare
spare=$(spare_of "$daemon")
kill -KILL "$spare"
spare_reaped() { ! grep -qw "$spare" /proc/$daemon/task/*/children; }
check "a spare that died is reaped" wait_until 5000 spare_reaped
run "$sesame" launch org.example.Sleeper
take_pid pid5
check "...the next launch forks as before" \
	eval 'test "$rc" = 0 && grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$pid5.scope" /proc/$pid5/cgroup'
check "...with GIO_LAUNCHED_DESKTOP_FILE and _PID" gio_launched "$pid5"
check "...and then a spare waits again" wait_until 5000 has_spare

# The session's environment as the user manager holds it now, not the one
# the daemon started with.
# What another launcher left in the session about the app it launched is
# not passed on as if it were about this one.
systemctl --user set-environment SESAME_TEST_SESSION=exported-later GIO_LAUNCHED_DESKTOP_FILE=/other.desktop \
	GIO_LAUNCHED_DESKTOP_FILE_PID=1 BAMF_DESKTOP_FILE_HINT=/other.desktop DESKTOP_STARTUP_ID=stale \
	DESKTOP_ENTRY_ID=other DESKTOP_ENTRYWAY=kept
run "$sesame" launch org.example.Sleeper
take_pid pid3
check "the base environment is the user manager's, read at each launch" \
	bash -c 'tr "\0" "\n" </proc/$1/environ | grep -qx SESAME_TEST_SESSION=exported-later' _ "$pid3"
check "another launcher's variables about its app are not inherited; ours are set" eval \
	'gio_launched "$pid3" && test -z "$(envvar "$pid3" BAMF_DESKTOP_FILE_HINT)$(envvar "$pid3" DESKTOP_STARTUP_ID)$(envvar "$pid3" DESKTOP_ENTRY_ID)" && test "$(envvar "$pid3" DESKTOP_ENTRYWAY)" = kept'
systemctl --user unset-environment GIO_LAUNCHED_DESKTOP_FILE GIO_LAUNCHED_DESKTOP_FILE_PID BAMF_DESKTOP_FILE_HINT \
	DESKTOP_STARTUP_ID DESKTOP_ENTRY_ID DESKTOP_ENTRYWAY
check "what only the launcher's own environment holds is not passed on" \
	bash -c '! tr "\0" "\n" </proc/$1/environ | grep -q "^SESAME_TEST_DAEMON_ONLY="' _ "$pid3"
systemctl --user unset-environment SESAME_TEST_SESSION

# A read of the environment older than the client's connection is not
# used: a status call leaves a fresh read behind, the session changes, and
# the next launch must see the change although that read is well under 1 s
# old. The manager is stopped while the launch connects, so its own read
# cannot have been answered when the request comes.
"$sesame" status >/dev/null
systemctl --user set-environment SESAME_TEST_FRESH=after-the-status
kill -STOP "${SESAME_TEST_MANAGER_PID:?}"
"$sesame" launch org.example.Sleeper >"$TMPDIR/fresh.out" 2>&1 &
client=$!
launch_waiting() { "$sesame" status --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["in_flight"] != 1)'; }
wait_until 5000 launch_waiting
kill -CONT "$SESAME_TEST_MANAGER_PID"
wait "$client"
take_pid pid6 "$TMPDIR/fresh.out"
check "an environment read before the client connected is not used" \
	bash -c 'tr "\0" "\n" </proc/$1/environ | grep -qx SESAME_TEST_FRESH=after-the-status' _ "$pid6"
systemctl --user unset-environment SESAME_TEST_FRESH

# sesame entries asks the running launcher: its entries, whatever this
# process's own XDG directories say; --local scans here.
XDG_DATA_HOME=/nonexistent XDG_DATA_DIRS=/nonexistent run "$sesame" entries
check "entries through the launcher: its cache, not this process's directories" \
	eval 'test "$rc" = 0 && grep -q "^org.example.Sleeper	" <<<"$out"'
XDG_DATA_HOME=/nonexistent XDG_DATA_DIRS=/nonexistent run "$sesame" entries --local
check "entries --local scans here (nothing in those directories)" eval 'test "$rc" = 0 && test -z "$out"'
through=$("$sesame" entries --json --all)
here=$("$sesame" entries --json --all --local)
check "the launcher's list and a local scan of the same directories agree" test "$through" = "$here"

run "$sesame" launch --dry-run --json tools-probe --tag dev --tag secretive
check "dry run: the plan, names only" python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert p["dry_run"] and p["entry_id"] == "tools-probe" and p["argv"] == ["sh", "-c", "exit 0"], p
assert "GREETING" in p["variables"] and "hello" not in sys.argv[1], p
assert p["secrets"] == [{"name": "github-token", "profile": "default", "variable": "GITHUB_TOKEN"}], p
' "$out"

# %f with two files: two instances, each in its own scope with its file.
run "$sesame" launch viewer -- "$TMPDIR/one file" "file://$TMPDIR/two"
check "%f with two files: two instances, a line each" test "$rc" = 0 -a "$(grep -c "^pid=" <<<"$out")" = 2
read -r first second < <(pids_in "$out" | tr '\n' ' ')
kill_at_exit "$first" "$second"
check "...each in a scope of its own" eval 'grep -qx "0::/app.slice/app-open-sesame-org-example-Viewer-$first.scope" /proc/$first/cgroup &&
	grep -qx "0::/app.slice/app-open-sesame-org-example-Viewer-$second.scope" /proc/$second/cgroup'
args_of() { tr '\0' '\n' <"/proc/$1/cmdline" | tail -n 2 | tr '\n' '|'; }
check "...with its own file, the URI made a path" \
	eval 'test "$(args_of "$first")" = "--open|$TMPDIR/one file|" -a "$(args_of "$second")" = "--open|$TMPDIR/two|"'
run "$sesame" launch --json viewer -- a b
check "the reply lists every instance, the first also at the top" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert len(r["instances"]) == 2 and r["instances"][0]["pid"] == r["pid"] and r["via_scope"], r
' "$out"
for p in $(python3 -c 'import json,sys; print(*[i["pid"] for i in json.loads(sys.argv[1])["instances"]])' "$out"); do kill_at_exit "$p"; done

run "$sesame" launch no-such-app
check "EntryNotFound: exit 10 with a message" test "$rc" = 10 -a -n "$err"
run "$sesame" launch gone
check "SpawnFailed: exit 19, saying what could not be executed" \
	eval 'test "$rc" = 19 && grep -q "/nonexistent/bin/gone" <<<"$err" && grep -q SpawnFailed <<<"$err"'
# A program not installed: the entry is indexed (not listed), a launch
# tries and says so.
desktop_entry org.example.Missing sesame-test-no-such-program
indexed() { "$sesame" entries --all | grep -q "^org.example.Missing	"; }
wait_until 5000 indexed
run "$sesame" launch org.example.Missing
check "a launch of an entry whose program is not installed says so" \
	eval 'test "$rc" = 19 && grep -q "cannot execute .sesame-test-no-such-program.: it is not installed (not found in the app.s PATH)" <<<"$err"'
rm "$XDG_DATA_HOME/applications/org.example.Missing.desktop"
run "$sesame" launch sleeper --profile nope
check "ProfileNotFound: exit 11" test "$rc" = 11
run "$sesame" launch sleeper --tag missing
check "LaunchProfileNotFound: exit 12" test "$rc" = 12
run "$sesame" launch --json sleeper --tag work:missing
check "denial as JSON" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["error"] == "LaunchProfileNotFound" and d["profile"] == "work" and d["launch_profile"] == "missing", d
' "$out"

# A client with the launch clearance may not use a secret-bearing tag.
# (A second client: its own config directory, its own key.)
panel_dir=$TMPDIR/panel
XDG_CONFIG_HOME=$panel_dir "$sesame" keys init >/dev/null
"$sesame" keys authorize panel "$(cat "$panel_dir/sesame/cli.pub")" --clearance launch >/dev/null
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch sleeper --tag secretive
check "launch clearance + secret-bearing tag: Forbidden (14)" test "$rc" = 14
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --dry-run sleeper --tag dev
check "...while plain tags are fine" test "$rc" = 0
# A launch client hands an app files and URLs, where its Exec takes them,
# and nothing else: not arguments to an entry that takes none (a
# Terminal=true entry would run them), not options.
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --dry-run sleeper -- -c "touch /tmp/pwned"
check "launch clearance: arguments to an entry that takes no files: Forbidden (14)" \
	eval 'test "$rc" = 14 && grep -q "takes none" <<<"$err"'
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --dry-run viewer -- --exec=evil
check "launch clearance: an option, even where files go: Forbidden (14)" \
	eval 'test "$rc" = 14 && grep -q "not options" <<<"$err"'
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --dry-run --json viewer -- notes.txt
check "launch clearance: a file where the entry takes one, relative to the client's directory" python3 -c '
import json, os, sys
p = json.loads(sys.argv[1])
assert p["argv"][-2:] == ["--open", os.path.join(os.getcwd(), "notes.txt")], p
' "$out"
# It may neither see what runs nor stop any of it: an app started by
# another client (with secrets, it may be) is none of a launch client's
# business.
run "$sesame" launch sleeper
take_pid victim
XDG_CONFIG_HOME=$panel_dir run "$sesame" ps --json
check "launch clearance: List is Forbidden (14), saying so" \
	eval 'test "$rc" = 14 && grep -q "may not list the running apps" <<<"$err" && ! grep -q "\"pid\":$victim" <<<"$out"'
run "$sesame" ps --json
check "...while the secrets clearance lists it" eval 'test "$rc" = 0 && grep -q "\"pid\":$victim" <<<"$out"'
XDG_CONFIG_HOME=$panel_dir run "$sesame" stop "$victim"
check "launch clearance: Stop is Forbidden (14), saying so, and the app runs on" \
	eval 'test "$rc" = 14 && grep -q "may not stop or signal apps" <<<"$err" && kill -0 "$victim"'
XDG_CONFIG_HOME=$panel_dir run "$sesame" stop --signal KILL "$victim"
check "...a signal too" eval 'test "$rc" = 14 && kill -0 "$victim"'
run "$sesame" stop "$victim"
check "...while the secrets clearance may" test "$rc" = 0
"$sesame" keys revoke panel >/dev/null
XDG_CONFIG_HOME=$panel_dir run "$sesame" launch --dry-run sleeper
check "a revoked key is refused at its next connection (21)" test "$rc" = 21 -a -n "$err"

# Reload: a valid change applies without a restart; an error leaves out
# only the profile it is in, named with file:line, and the rest serves.
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
cp "$conf" "$TMPDIR/conf.orig"
printf '[LaunchProfile later]\nEnvironment=LATER=1\n' >>"$conf"
later_works() { "$sesame" launch --dry-run sleeper --tag later >/dev/null 2>&1; }
check "a valid configuration change applies without a restart" wait_until 5000 later_works
printf '[LaunchProfile broken]\nWorkingDirectory=relative\n[LaunchProfile added]\nEnvironment=ADDED=1\n' >>"$conf"
broken_line=$(grep -n '^WorkingDirectory=relative' "$conf" | cut -d: -f1)
added_works() { "$sesame" launch --dry-run sleeper --tag added >/dev/null 2>&1; }
check "an error leaves the rest of the change in force (a profile added with it)" wait_until 5000 added_works
check "...and what was there before" later_works
run "$sesame" launch --dry-run sleeper --tag broken
check "a launch with the profile in error: ProfileInvalid (25), naming file:line and the message" \
	eval 'test "$rc" = 25 && grep -q "launch profile .broken. is left out: $conf:$broken_line: WorkingDirectory: .relative. is not an absolute path" <<<"$err"'
run "$sesame" launch --dry-run sleeper --tag nosuch
check "an unknown tag lists the profiles there are and says the configuration has errors (12)" \
	eval 'test "$rc" = 12 && grep -q "it has: .*later.*added" <<<"$err" && grep -q "1 error in force" <<<"$err"'
run "$sesame" status
check "status lists the error in force" grep -q "^  $conf:$broken_line: WorkingDirectory" <<<"$out"
run "$sesame" status --json
check "...also in JSON" python3 -c 'import json,sys; sys.exit(len(json.loads(sys.argv[1])["config_errors"]) != 1)' "$out"
"$sesame" keys authorize panel2 "$(cat "$panel_dir/sesame/cli.pub")" --clearance launch >/dev/null
XDG_CONFIG_HOME=$panel_dir run "$sesame" status --json
check "...to a launch client (a picker) their number only: an error may quote the file" \
	python3 -c 'import json,sys; s = json.loads(sys.argv[1]); sys.exit(s["config_errors"] != 1)' "$out"
"$sesame" keys revoke panel2 >/dev/null
cp "$TMPDIR/conf.orig" "$conf"
later_gone() { ! later_works; }
check "fixing the file applies again" wait_until 5000 later_gone
run "$sesame" status --json
check "...and no error is in force" python3 -c 'import json,sys; sys.exit(json.loads(sys.argv[1])["config_errors"] != [])' "$out"

# A new application is launchable within a second, with no restart.
printf '[Desktop Entry]\nType=Application\nName=Fresh\nExec=true\n' >"$XDG_DATA_HOME/applications/org.example.Fresh.desktop"
fresh() { "$sesame" launch --dry-run fresh >/dev/null 2>&1; }
check "a new .desktop file becomes launchable within 1 s" wait_until 1000 fresh
mkdir -p "$XDG_DATA_HOME/applications/vendor"
printf '[Desktop Entry]\nType=Application\nName=Nested\nExec=true\n' >"$XDG_DATA_HOME/applications/vendor/nested.desktop"
nested() { "$sesame" launch --dry-run vendor-nested >/dev/null 2>&1; }
check "...also in a new subdirectory" wait_until 2000 nested
rm "$XDG_DATA_HOME/applications/org.example.Fresh.desktop"
fresh_gone() { ! fresh; }
check "a removed one stops being launchable" wait_until 2000 fresh_gone

before=$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")
kill -HUP "$daemon"
hup() { [ "$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")" -gt "$before" ]; }
check "SIGHUP reloads the configuration and rescans" wait_until 5000 hup
run "$sesame" status
check "...and the daemon keeps serving" test "$rc" = 0

# SIGKILL the daemon: the apps stay; a new daemon serves again.
kill -KILL "$daemon"
wait "$daemon" 2>/dev/null
daemon=
check "apps survive the daemon's SIGKILL" kill -0 "$pid"
start_daemon
run "$sesame" status --json
check "a restarted daemon serves again" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["launches"] == 0' "$out"

# SIGTERM with a launch in flight (the user manager stopped, so the launch
# waits for its scope): the daemon answers it before it exits.
kill -STOP "${SESAME_TEST_MANAGER_PID:?}"
"$sesame" launch sleeper >"$TMPDIR/term.out" 2>&1 &
client=$!
in_flight() { "$sesame" status --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["in_flight"] != 1)'; }
wait_until 5000 in_flight
kill -TERM "$daemon"
check "SIGTERM with a launch in flight: the daemon waits for it" \
	wait_until 5000 grep -q "exiting once 1 launches in flight are answered" "$TMPDIR/daemon.log"
check "...still running meanwhile" kill -0 "$daemon"
kill -CONT "$SESAME_TEST_MANAGER_PID"
wait "$client"
check "...the launch is answered" bash -c '[ $1 = 0 ] && grep -q "^pid=[0-9]* unit=app-open-sesame-.* via_scope=true" "$2"' _ $? "$TMPDIR/term.out"
take_pid term_pid "$TMPDIR/term.out"
wait "$daemon"
check "...and then it exits 0" test $? = 0
daemon=
start_daemon

kill -TERM "$daemon"
wait "$daemon"
check "SIGTERM: exit 0" test $? = 0
daemon=
check "...and the apps keep running" kill -0 "$pid"
run "$sesame" status
check "no daemon, no units in the manager: said as not installed, with what to do (26)" \
	bash -c '[ "$1" = 26 ] && grep -q "the launcher is not running, and not installed: the user manager has no sesame-launcher.socket (install" <<<"$2"' _ "$rc" "$err"

# An unknown client gets in only with AllowEphemeralClients=yes, and then
# with the launch clearance.
stranger=$TMPDIR/stranger
XDG_CONFIG_HOME=$stranger "$sesame" keys init >/dev/null
printf '[Launcher]\nAllowEphemeralClients=yes\n' >>"$XDG_CONFIG_HOME/sesame/launcher.conf"
cp "$XDG_RUNTIME_DIR/sesame/launcher.pub" "$TMPDIR/launcher.pub.before"
start_daemon
XDG_CONFIG_HOME=$stranger run "$sesame" launch --dry-run sleeper
check "AllowEphemeralClients=yes: an unknown key is admitted" test "$rc" = 0
XDG_CONFIG_HOME=$stranger run "$sesame" launch --dry-run sleeper --tag secretive
check "...with the launch clearance only" test "$rc" = 14
check "the daemon's key is the same across restarts" cmp -s "$TMPDIR/launcher.pub.before" "$XDG_RUNTIME_DIR/sesame/launcher.pub"
# A client that holds another key for the launcher (it was given a new one):
# the launcher cannot read its handshake and says so with a frame, so the
# client names that, not a launcher that stopped.
fake=$TMPDIR/fake-runtime
mkdir -p -m 0700 "$fake/sesame"
ln -s "$XDG_RUNTIME_DIR/sesame/launcher.sock" "$fake/sesame/launcher.sock"
cp "$stranger/sesame/launcher.pub" "$fake/sesame/launcher.pub"
XDG_RUNTIME_DIR=$fake run "$sesame" status
check "another launcher key: the client says the launcher could not read it, naming launcher.pub (29)" \
	eval '[ "$rc" = 29 ] && grep -q "could not read the handshake: its key is not the one in launcher.pub" <<<"$err"'
notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
XDG_RUNTIME_DIR=$fake run "$sesame" launch --notify=always sleeper
check "...a launch: the same (29), and notified" \
	eval '[ "$rc" = 29 ] && grep -q "its key is not the one in launcher.pub" "$notes"'
check "...and the launcher serves on" eval '"$sesame" status >/dev/null'
kill -TERM "$daemon"
wait "$daemon"
daemon=

env -u XDG_RUNTIME_DIR "$launcherd" 2>"$TMPDIR/no-runtime.log"
check "no XDG_RUNTIME_DIR: a clear fatal error" \
	bash -c '[ $1 != 0 ] && grep -q "XDG_RUNTIME_DIR is not set" "$2"' _ $? "$TMPDIR/no-runtime.log"

printf '0000000000000000000000000000000000000000000000000000000000000001\n' >"$XDG_CONFIG_HOME/sesame/launcher.key"
"$launcherd" 2>"$TMPDIR/tampered.log"
check "a tampered daemon key: refuses to start, naming the files" \
	bash -c '[ $1 != 0 ] && grep -q "tampered key: .*launcher.key does not match its checksum .*launcher.key.sum" "$2"' _ $? "$TMPDIR/tampered.log"

# Socket activation: the socket exists before the daemon, and the first
# request starts it (systemd-socket-activate passes the listening socket as
# systemd does, LISTEN_FDS=1).
rm -f "$XDG_CONFIG_HOME/sesame/launcher.key" "$XDG_CONFIG_HOME/sesame/launcher.key.sum" "$XDG_CONFIG_HOME/sesame/launcher.pub"
"$sesame" keys init >/dev/null
rm -rf "$XDG_RUNTIME_DIR/sesame"
mkdir -m 0700 "$XDG_RUNTIME_DIR/sesame"
# (It passes only the variables named, as a user manager passes its own.)
systemd-socket-activate -l "$XDG_RUNTIME_DIR/sesame/launcher.sock" -E XDG_RUNTIME_DIR -E DBUS_SESSION_BUS_ADDRESS \
	-E XDG_CONFIG_HOME -E XDG_DATA_HOME -E XDG_DATA_DIRS -E XDG_STATE_HOME -E HOME -E PATH "$launcherd" 2>>"$TMPDIR/activated.log" &
activator=$!
kill_at_exit "$activator"
wait_until 5000 test -S "$XDG_RUNTIME_DIR/sesame/launcher.sock"
check "socket activation: no daemon yet, no published key" test ! -e "$XDG_RUNTIME_DIR/sesame/launcher.pub"
run "$sesame" status --json
check "socket activation: the first request starts the daemon and is served" python3 -c '
import json, sys
assert json.loads(sys.argv[1])["launches"] == 0' "$out"
check "socket activation: the daemon used the passed socket" grep -q "socket systemd passed" "$TMPDIR/activated.log"
kill -TERM "$activator"
wait "$activator" 2>/dev/null

# No sesame-exec beside the daemon nor installed: no spare (said once),
# and launches still start, directly, as the engine falls back.
mkdir -p "$TMPDIR/lonely"
cp "$launcherd" "$TMPDIR/lonely/"
"$TMPDIR/lonely/$(basename "$launcherd")" 2>"$TMPDIR/lonely.log" &
daemon=$!
wait_until 5000 "$sesame" status >/dev/null
spare_given_up() { grep -q "launches go without a spare" "$TMPDIR/lonely.log"; }
if [ -x /usr/libexec/sesame/sesame-exec ] || [ -x /usr/local/libexec/sesame/sesame-exec ]; then
	skip "no sesame-exec: no spare, launches start directly" "an installed sesame-exec is found"
else
	check "no sesame-exec: the daemon says it goes without a spare" wait_until 5000 spare_given_up
	run "$sesame" launch org.example.Sleeper
	take_pid pid7
	check "...and a launch still starts the app, without a scope" \
		eval 'test "$rc" = 0 && grep -q "via_scope=false" <<<"$out" && kill -0 "$pid7"'
fi
kill -TERM "$daemon"
wait "$daemon" 2>/dev/null
daemon=

# (The harness's XDG_STATE_HOME, not the invoking user's home, got the
# history of the launches above.)
check "the history went to the harness's XDG_STATE_HOME" test -s "$XDG_STATE_HOME/sesame/history.sqlite"

done_testing
