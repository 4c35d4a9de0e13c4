#!/bin/bash
# The Hyprland and niri window backends against a FAKE of their IPC
# sockets (tests/fake-compositor.py): neither compositor is in Debian 12,
# so what this proves is sesame's side of their documented protocols — the
# window list read, each window given its app by its process's unit, the
# focus request sent — not the compositors.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
fake=$(dirname "$0")/../fake-compositor.py
unset SWAYSOCK WAYLAND_DISPLAY DISPLAY

xdg_dirs
desktop_entry org.example.App "sleep 300" Name=App
"$sesame" keys init >/dev/null
start_daemon
run "$sesame" launch org.example.App
take_pid app
outside_pid=$$

start_fake() {
	coproc FAKE { exec /usr/bin/python3 "$fake" "$1" "$2" "$TMPDIR/$1.log" \
		"$outside_pid:Other:the other" "$app:org.example.App:the app"; }
	read -r _ <&"${FAKE[0]}"
	kill_at_exit "$FAKE_PID"
}

# Hyprland: $XDG_RUNTIME_DIR/hypr/$HYPRLAND_INSTANCE_SIGNATURE/.socket.sock
mkdir -p "$XDG_RUNTIME_DIR/hypr/fake"
start_fake hyprland "$XDG_RUNTIME_DIR/hypr/fake/.socket.sock"
run env HYPRLAND_INSTANCE_SIGNATURE=fake "$sesame" windows --json
check "hyprland (fake IPC): j/clients read, focus history order, each window's app by its process" \
	/usr/bin/python3 -c '
import json, sys
w = list(map(json.loads, sys.argv[1].splitlines()))
assert [x["title"] for x in w] == ["the other", "the app"] and w[0]["focused"], w
assert w[1]["entry_id"] == "org.example.App" and w[0]["entry_id"] is None and w[1]["app_id"] == "org.example.App", w
' "$out"
run env HYPRLAND_INSTANCE_SIGNATURE=fake "$sesame" focus org.example.App
check "...focus sends dispatch focuswindow address: of the app's window" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$TMPDIR/hyprland.log")" = "dispatch focuswindow address:0x5501" ]'
kill "$FAKE_PID"; wait "$FAKE_PID" 2>/dev/null

# niri: $NIRI_SOCKET
start_fake niri "$TMPDIR/niri.sock"
run env NIRI_SOCKET="$TMPDIR/niri.sock" "$sesame" windows --json
check "niri (fake IPC): Windows read, the focused one first, each window's app by its process" \
	/usr/bin/python3 -c '
import json, sys
w = list(map(json.loads, sys.argv[1].splitlines()))
assert [(x["id"], x["focused"]) for x in w] == [(10, True), (11, False)], w
assert w[1]["entry_id"] == "org.example.App", w
' "$out"
run env NIRI_SOCKET="$TMPDIR/niri.sock" "$sesame" focus "$app"
check "...focus sends the FocusWindow action with the window's id" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$TMPDIR/niri.log")" = "{\"Action\":{\"FocusWindow\":{\"id\":11}}}" ]'
done_testing
