# A headless sway with fuzzel driven by wtype, for tests/integration/test-picker.sh
# and bench/fuzzel-ranking. Source it (after tests/tap.sh, for wait_until),
# then: sway_start; pick QUERY [COMMAND...]; sway_stop.
#
# sway refuses to run as root: it runs as nobody with a 0700 runtime
# directory of its own; the clients reach it by an absolute WAYLAND_DISPLAY
# (XDG_RUNTIME_DIR stays the caller's). A headless seat has no keyboard, and
# a layer-shell surface mapped before a keyboard exists never gets focus
# (fuzzel 1.8.2 even crashes when the keyboard it had is gone), so one
# virtual keyboard (wtype -s) lives from before fuzzel starts, and a second
# wtype types. What is waited for is read from sway's WAYLAND_DEBUG=server
# log: fuzzel's keyboard focus, its redraw after the last key.

sway_dir= sway= keyboard= picker=
sway_log=${TMPDIR:-/tmp}/sway.log

# sway_start: sway runs and WAYLAND_DISPLAY (exported) reaches it.
sway_start() {
	sway_dir=$(mktemp -d /tmp/sesame-sway.XXXXXX)
	chown 65534:65534 "$sway_dir"
	printf 'xwayland disable\n' >"$sway_dir/config"
	chmod 644 "$sway_dir/config"
	env -i PATH=/usr/bin:/bin HOME="$sway_dir" XDG_RUNTIME_DIR="$sway_dir" WLR_BACKENDS=headless \
		WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman WAYLAND_DEBUG=server \
		setpriv --reuid=65534 --regid=65534 --clear-groups sway -c "$sway_dir/config" >"$sway_log" 2>&1 &
	sway=$!
	wait_until 10000 sway_socket_up || return 1
	export WAYLAND_DISPLAY
}
sway_socket_up() { local s; for s in "$sway_dir"/wayland-*; do [ -S "$s" ] && { WAYLAND_DISPLAY=$s; return 0; }; done; return 1; }

# sway_stop: the picker, the keyboard and sway ended, its directory gone.
sway_stop() {
	local p
	for p in "$picker" "$keyboard" "$sway"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done
	[ -n "$sway" ] && wait "$sway" 2>/dev/null
	picker= keyboard= sway=
	[ -n "$sway_dir" ] && rm -rf "$sway_dir"
	sway_dir=
}

# log_from N: sway's log after line N. mark: its length now.
mark() { wc -l <"$sway_log"; }
log_from() { tail -n "+$(($1 + 1))" "$sway_log"; }
keyboard_ready() { log_from "$1" | grep -q 'zwp_virtual_keyboard_v1@[0-9]*\.keymap('; }
focused() { log_from "$1" | grep -q -- '-> wl_keyboard@[0-9]*\.enter('; }
# A commit of a surface after the last key press the server sent (a
# release changes nothing on screen: no commit follows it).
redrawn() { log_from "$1" | awk '/-> wl_keyboard@[0-9]+\.key\(.*, 1\)$/ { k = NR } /wl_surface@[0-9]+\.commit\(\)/ { c = NR } END { exit !(k && c > k) }'; }
redrawn_any() { log_from "$1" | grep -q 'wl_surface@[0-9]*\.commit()'; }

# fresh_keyboard: a new virtual keyboard, live (the seat's keyboard must
# exist when a picker maps its surface).
fresh_keyboard() {
	local at
	[ -n "$keyboard" ] && kill "$keyboard" && wait "$keyboard" 2>/dev/null
	at=$(mark)
	wtype -s 3600000 &
	keyboard=$!
	wait_until 5000 keyboard_ready "$at" || { echo "# no virtual keyboard"; return 1; }
}

# pick QUERY [COMMAND...]: a fresh keyboard, fuzzel (or COMMAND, which runs
# it), its focus, QUERY typed, the redraw, Down PICK_DOWN times (default 0;
# each must redraw: a Down past the last result does not), Return; fuzzel
# runs the prefix with the entry's argv. A failure leaves no picker behind.
pick() {
	local at query=$1 i
	shift
	[ $# -gt 0 ] || set -- fuzzel --launch-prefix="$sesame launch --"
	fresh_keyboard || return 1
	at=$(mark)
	"$@" >>"${TMPDIR:-/tmp}/fuzzel.log" 2>&1 &
	picker=$!
	wait_until 10000 focused "$at" || { pick_fail "fuzzel never got the keyboard focus"; return 1; }
	at=$(mark)
	LC_ALL=C.UTF-8 wtype "$query" || { pick_fail "wtype failed"; return 1; }
	wait_until 5000 redrawn "$at" || { pick_fail "fuzzel did not redraw after the query"; return 1; }
	for ((i = 0; i < ${PICK_DOWN:-0}; i++)); do
		at=$(mark)
		wtype -k Down || { pick_fail "wtype failed"; return 1; }
		wait_until 1500 redrawn "$at" || { pick_fail "fuzzel did not redraw after Down"; return 1; }
	done
	wtype -k Return || { pick_fail "wtype failed"; return 1; }
	# (fuzzel stays open when Return picks nothing: no match.)
	wait_until 5000 eval '! kill -0 "$picker" 2>/dev/null' || { pick_fail "fuzzel is still open after Return"; return 1; }
	wait "$picker" || { echo "# fuzzel: exit status $?"; picker=; return 1; }
	picker=
}

pick_fail() {
	echo "# $1"
	kill "$picker" 2>/dev/null
	wait "$picker" 2>/dev/null
	picker=
}
