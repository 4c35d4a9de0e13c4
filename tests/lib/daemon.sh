# The launcher under test, for the integration scripts: source it after
# tap.sh. The programs under test, the XDG directories inside $TMPDIR, the
# daemon started and stopped, the apps a test started, and one exit trap
# that ends them all and then runs what a script registered with at_exit.

sesame=${SESAME:?} launcherd=${SESAME_LAUNCHERD:-}
daemon=
_started=()
_at_exit=()

# at_exit COMMAND: evaluated at exit, after the apps and the daemon are
# gone, in the order registered.
at_exit() { _at_exit+=("$1"); }
# kill_at_exit PID...: ended with SIGKILL at exit.
_lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kill_at_exit() { _started+=("$@"); }

# start_journald: a systemd-journald of the test's own, in the harness's
# private /run (its journal there, or in the tmpfs the harness puts over
# /var/log/journal), listening once this returns; its PID in $journald.
# A gnome-keyring on the harness's private bus, unlocked with "testpass",
# its Secret Service up; ended at exit. $keyring is its PID.
start_keyring() {
	echo -n testpass | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
	wait_until 10000 busctl --user status org.freedesktop.secrets >/dev/null 2>&1 || return 1
	keyring=$(busctl --user status org.freedesktop.secrets 2>/dev/null | sed -n 's/^PID=//p')
	at_exit '[ -n "$keyring" ] && kill "$keyring" 2>/dev/null'
}
start_journald() {
	/lib/systemd/systemd-journald &
	journald=$!
	kill_at_exit "$journald"
	wait_until 5000 eval '[ -S /run/systemd/journal/stdout ] && [ -S /run/systemd/journal/socket ]'
}

# notify_recorder FILE: a notification server on the session bus
# (tests/notify-recorder.py) writing each notification to FILE as a JSON
# line, up once this returns; its PID in $notifier, ended at exit.
notify_recorder() {
	local ready=$TMPDIR/recorder.$RANDOM
	/usr/bin/python3 "$_lib/../notify-recorder.py" "$1" >"$ready" 2>&1 &
	notifier=$!
	kill_at_exit "$notifier"
	wait_until 5000 grep -q ready "$ready"
}
_cleanup() {
	local p c
	for p in "$daemon" "${_started[@]}"; do [ -n "$p" ] && kill -KILL "$p" 2>/dev/null; done
	for c in "${_at_exit[@]}"; do eval "$c"; done
	return 0
}
trap _cleanup EXIT

# xdg_dirs [--home] [DATA_HOME [DATA_DIRS]]: the configuration in
# $TMPDIR/config, the data in $TMPDIR/data (or DATA_HOME, perhaps a fixture)
# and nothing of the machine's (DATA_DIRS, default an empty $TMPDIR/none);
# with --home, HOME too ($TMPDIR/home: the Secret Services keep files there).
xdg_dirs() {
	if [ "${1:-}" = --home ]; then
		shift
		export HOME=$TMPDIR/home
		mkdir -p "$HOME"
	fi
	export XDG_CONFIG_HOME=$TMPDIR/config XDG_DATA_HOME=${1:-$TMPDIR/data} XDG_DATA_DIRS=${2:-$TMPDIR/none}
	mkdir -p "$XDG_CONFIG_HOME/sesame"
	[ $# -gt 0 ] || mkdir -p "$XDG_DATA_HOME/applications"
}

# provide_programs DIR...: an executable that does nothing in $TMPDIR/bin, put
# first in PATH, for the Exec program of every entry in DIR/applications
# that this machine lacks (one already in $TMPDIR/bin is kept): an entry
# whose program is not installed is left out of listings and searches.
provide_programs() {
	mkdir -p "$TMPDIR/bin"
	local program dir files=()
	for dir in "$@"; do files+=("$dir"/applications/*.desktop); done
	for program in $(sed -n 's/^Exec="\{0,1\}\([^ "]*\).*/\1/p' "${files[@]}" | sort -u); do
		[[ $program == */* ]] || command -v "$program" >/dev/null || [ -e "$TMPDIR/bin/$program" ] ||
			printf '#!/bin/sh\n' >"$TMPDIR/bin/$program"
		[ -e "$TMPDIR/bin/$program" ] && chmod +x "$TMPDIR/bin/$program"
	done
	export PATH=$TMPDIR/bin:$PATH
}

# desktop_entry ID EXEC [LINE...]: an application's entry, ID.desktop, named
# ID unless a LINE says Name=; the other LINEs (Icon=..., Actions=...) follow.
desktop_entry() {
	local id=$1 exec=$2 name=$1 l
	shift 2
	for l in "$@"; do [[ $l == Name=* ]] && name=${l#Name=}; done
	{
		printf '[Desktop Entry]\nType=Application\nName=%s\nExec=%s\n' "$name" "$exec"
		for l in "$@"; do [[ $l == Name=* ]] || printf '%s\n' "$l"; done
	} >"$XDG_DATA_HOME/applications/$id.desktop"
}

# pids_in TEXT: the PID of every "pid=N unit=U via_scope=B" line; pid_in
# TEXT, unit_in TEXT: of the first.
pids_in() { sed -n 's/^pid=\([0-9]*\) .*/\1/p' <<<"$1"; }
pid_in() { pids_in "$1" | head -1; }
unit_in() { sed -n 's/^pid=[0-9]* unit=\([^ ]*\) .*/\1/p' <<<"$1" | head -1; }

# take_pid VAR [FILE]: the first PID of the last command's output (or of
# FILE) into VAR; every PID there is ended at exit.
take_pid() {
	local text p
	if [ $# -gt 1 ]; then text=$(cat "$2"); else text=$out; fi
	for p in $(pids_in "$text"); do _started+=("$p"); done
	printf -v "$1" '%s' "$(pid_in "$text")"
	return 0
}

# envvar PID NAME: NAME's value in the process's environment.
envvar() { tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"; }

# start_daemon [--fresh-log] [PREFIX...]: the launcher (under PREFIX, e.g.
# prlimit), logging to $TMPDIR/daemon.log (emptied first with --fresh-log),
# once it serves: not just a socket file, since a previous daemon's may
# still be there until this one has bound its own. SESAME_TEST_DAEMON_ONLY
# marks the launcher's own environment, which no app may inherit
# (test-daemon.sh).
start_daemon() {
	: "${launcherd:?SESAME_LAUNCHERD is not set}"
	[ "${1:-}" = --fresh-log ] && shift && : >"$TMPDIR/daemon.log"
	SESAME_TEST_DAEMON_ONLY=1 "$@" "$launcherd" 2>>"$TMPDIR/daemon.log" &
	daemon=$!
	wait_until 5000 "$sesame" status >/dev/null 2>&1
}
# exited PID: gone, or a zombie.
exited() { [ ! -e "/proc/$1" ] || [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = Z ]; }
# stop_daemon: SIGTERM and its exit waited for; one stuck for good (the
# defects test-hardening.sh is about) is killed after 10 s.
stop_daemon() {
	[ -n "$daemon" ] || return 0
	kill -TERM "$daemon" 2>/dev/null
	wait_until 10000 exited "$daemon" || kill -KILL "$daemon" 2>/dev/null
	wait "$daemon" 2>/dev/null
	daemon=
}
# log_has TEXT: the daemon's log says it.
log_has() { grep -q -- "$1" "$TMPDIR/daemon.log"; }
