#!/bin/bash
# Through real pickers: Debian's fuzzel 1.8.2 with
# --launch-prefix='sesame launch --', in a headless sway 1.7 (tests/sway.sh),
# a query typed and Return pressed; sesame menu with fuzzel --dmenu there; a
# failure seen as a notification by a real notification server (dunst) on
# the private bus; wofi 1.3 in the same sway; rofi 1.7.3 under Xvfb.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../sway.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs
export XDG_CACHE_HOME=$TMPDIR/cache # fuzzel ranks by its own launch counts, kept here
apps=$XDG_DATA_HOME/applications
mkdir -p "$XDG_CACHE_HOME"
printf '[LaunchProfile dev]\nEnvironment=GREETING=hello\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"
cat >"$apps/org.example.Termite.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Termite Test
Exec=sh -c 'sleep 300' termite %U
DESKTOP
cat >"$apps/org.example.Other.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Quuxother
Exec=sh -c 'sleep 300' other
DESKTOP
# An icon fuzzel can only have been given by sesame menu: pure red, by name,
# in a hicolor theme of the test's own data directory.
icons=$XDG_DATA_HOME/icons/hicolor
mkdir -p "$icons/32x32/apps"
printf '[Icon Theme]\nName=Hicolor\nDirectories=32x32/apps\n\n[32x32/apps]\nSize=32\nContext=Applications\nType=Fixed\n' >"$icons/index.theme"
/usr/bin/python3 - "$icons/32x32/apps/sesame-test-red.png" <<'PNG'
import struct, sys, zlib
w = h = 32
raw = b"".join(b"\0" + b"\xff\x00\x00" * w for _ in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
                             chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PNG
printf '[Desktop Entry]\nType=Application\nName=Redicon\nIcon=sesame-test-red\nExec=true\n' >"$apps/org.example.Redicon.desktop"
cat >"$apps/org.example.Vanished.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Vanished
Icon=vanished-icon
Exec=/nonexistent/bin/vanished
DESKTOP

notifier= xserver=
at_exit 'for p in "$notifier" "$xserver"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done'
at_exit sway_stop
at_exit 'for u in $(systemctl --user list-units --plain --no-legend "app-open-sesame-*" | cut -d" " -f1); do
	systemctl --user kill -s KILL "$u" 2>/dev/null
done'

"$sesame" keys init >/dev/null
start_daemon

check "sway runs headless, as nobody" sway_start

scope_of() { systemctl --user list-units --plain --no-legend "app-open-sesame-$1-*.scope" | cut -d' ' -f1 | head -1; }
launched() { [ -n "$(scope_of org-example-Termite)" ]; }
check "fuzzel: typed 'termite', Return" pick termite
check "...the chosen entry runs in its entry's scope (recognized from the argv fuzzel handed over)" \
	wait_until 5000 launched
unit=$(scope_of org-example-Termite)
# (fuzzel sends its children's output to /dev/null: the app is found by
# its cgroup.)
runs_in() { local f; for f in $(grep -l "/$1\$" /proc/[0-9]*/cgroup); do
	[ "$(tr '\0' ' ' <"${f%/cgroup}/cmdline")" = "$2" ] && return 0; done; return 1; }
check "...running its Exec, field codes gone: sh -c 'sleep 300' termite" runs_in "$unit" "sh -c sleep 300 termite "
check "...described by the entry's name" test "$(systemctl --user show -P Description "$unit")" = "Termite Test"
check "fuzzel counted the launch in its own cache" test -s "$XDG_CACHE_HOME/fuzzel"

# sesame menu with fuzzel --dmenu: the launcher's list on fuzzel's stdin,
# the line picked launched with the tags.
others() { systemctl --user list-units --plain --no-legend 'app-open-sesame-org-example-Other-*.scope' | cut -d' ' -f1; }
check "sesame menu --picker 'fuzzel --dmenu' --tag dev: typed 'quux', Return" \
	pick quux "$sesame" menu --picker "fuzzel --dmenu" --tag dev
check "...the picked entry runs in its scope" wait_until 5000 eval '[ -n "$(others)" ]'
mpid=$(grep -l "/$(others | head -1)\$" /proc/[0-9]*/cgroup | head -1 | cut -d/ -f3)
check "...with GREETING=hello from --tag dev" eval 'tr "\0" "\n" <"/proc/$mpid/environ" | grep -qx GREETING=hello'

# sesame menu's icons in fuzzel's list (rofi's dmenu extension, which
# fuzzel 1.8 reads): a screenshot (grim) of the open list has the red icon
# with --icons=auto, and none with --icons=never, the list drawn either way.
shot() {
	local at menu
	fresh_keyboard || return 1
	at=$(mark)
	"$sesame" menu --picker "fuzzel --dmenu" --icons="$1" >/dev/null 2>&1 &
	menu=$!
	wait_until 10000 focused "$at" && wait_until 5000 redrawn_any "$at" || { kill "$menu"; return 1; }
	# Until the list is on screen, with its icons if any (loaded after the first frame).
	wait_until 5000 on_screen "$1"
	wtype -k Escape
	wait "$menu"
}
# Pixels of the icon's red, and whether anything but one colour is on screen.
ppm() { /usr/bin/python3 -c '
import sys
d = open(sys.argv[1], "rb").read().split(b"\n", 3)
w, h = map(int, d[1].split()); px = d[3][:w * h * 3]
red = sum(1 for i in range(0, len(px), 3) if px[i] > 240 and px[i + 1] < 16 and px[i + 2] < 16)
colours = len({px[i:i + 3] for i in range(0, len(px), 3 * 7)})
print(red if sys.argv[2] == "red" else colours)' "$1" "$2"; }
# A screenshot with the icon's red (--icons=auto), or the list drawn (never).
on_screen() {
	grim -t ppm "$TMPDIR/shot-$1.ppm" 2>/dev/null || return 1
	if [ "$1" = never ]; then drawn "$TMPDIR/shot-$1.ppm"; else [ "$(reds "$TMPDIR/shot-$1.ppm")" != none ]; fi
}
reds() { local n; n=$(ppm "$1" red); [ "$n" -gt 0 ] && echo "$n" || echo none; }
drawn() { [ "$(ppm "$1" colours)" -gt 2 ]; }
check "sesame menu --icons=auto with fuzzel: the screenshot shows the entry's icon" \
	eval 'shot auto && [ "$(reds "$TMPDIR/shot-auto.ppm")" != none ]'
check "...--icons=never: the list drawn, and no icon" \
	eval 'shot never && drawn "$TMPDIR/shot-never.ppm" && [ "$(reds "$TMPDIR/shot-never.ppm")" = none ]'

# A failure, from the picker: a notification a person would see.
dunst >"$TMPDIR/dunst.log" 2>&1 &
notifier=$!
dunst_up() { [ "$(dunstctl is-paused 2>/dev/null)" = false ]; }
check "dunst serves notifications on the private bus" wait_until 10000 dunst_up
check "fuzzel: typed 'vanished', Return" pick vanished
displayed() { [ "$(dunstctl count displayed 2>/dev/null)" -ge 1 ] 2>/dev/null; }
check "...the failed launch is a notification on dunst" wait_until 5000 displayed
dunstctl close-all
in_history() { [ "$(dunstctl count history)" -ge 1 ]; }
wait_until 5000 in_history
# (dunst's history has no urgency; it shows the time a notification stays:
# a refusal expires, only a locked vault stays until closed.)
check "...expiring, from sesame, naming the entry, saying what the terminal would" /usr/bin/python3 -c '
import json, sys
h = json.loads(sys.argv[1])["data"][0]
n = [x for x in h if x["summary"]["data"] == "Could not launch Vanished"]
assert n, h
n = n[0]
assert n["appname"]["data"] == "sesame" and n["timeout"]["data"] > 0, n
assert "/nonexistent/bin/vanished" in n["body"]["data"] and n["body"]["data"].endswith("(SpawnFailed)"), n
' "$(dunstctl history)"

# wofi 1.3 has no launch prefix: it prints the command it would run
# (drun-print_command), which is handed to sesame launch as a shell would split
# it (docs/integration.md). Its search is given on the command line; Return
# takes the first match.
wofi_pick() {
	local at cmd
	fresh_keyboard || return 1
	at=$(mark)
	# wofi sees only the entry to pick (its filter's timing does not
	# matter then), and the MIME database GTK needs for its own icons.
	XDG_DATA_HOME=$wofi_data wofi --show drun --search "$1" -D drun-print_command=true \
		>"$TMPDIR/wofi.out" 2>"$TMPDIR/wofi.log" &
	picker=$!
	wait_until 10000 focused "$at" || { echo "# wofi never got the keyboard focus"; return 1; }
	wait_until 5000 redrawn_any "$at" || { echo "# wofi never drew"; return 1; }
	wtype -k Return || return 1
	wait "$picker" || { echo "# wofi: exit status $?"; picker=; return 1; }
	picker=
	cmd=$(cat "$TMPDIR/wofi.out")
	echo "# wofi printed: $cmd"
	eval "\"\$sesame\" launch -- $cmd" >"$TMPDIR/wofi-launch.out" 2>&1
}
wofi_data=$TMPDIR/wofi-data
mkdir -p "$wofi_data/applications"
ln -s /usr/share/mime "$wofi_data/mime"
cp "$apps/org.example.Other.desktop" "$wofi_data/applications/"
before=$(others)
check "wofi: searched 'quuxother', Return, its command handed to sesame launch --" wofi_pick quuxother
other_launched() { [ -n "$(others | grep -vxF "$before")" ]; }
check "...the entry recognized, in its scope" wait_until 5000 other_launched || sed 's/^/# /' "$TMPDIR/wofi.out" "$TMPDIR/wofi-launch.out"

# rofi 1.7.3 (X11 only in Debian 12) under Xvfb: -run-command is its launch
# hook, for drun too; -filter and -auto-select pick the one match with no
# keyboard at all.
Xvfb :71 -nolisten tcp >"$TMPDIR/xvfb.log" 2>&1 &
xserver=$!
x_up() { xdpyinfo -display :71 >/dev/null 2>&1; }
check "Xvfb runs" wait_until 10000 x_up
termites() { systemctl --user list-units --plain --no-legend 'app-open-sesame-org-example-Termite-*.scope' | cut -d' ' -f1; }
before=$(termites)
run timeout 20 env DISPLAY=:71 rofi -show drun -filter termite -auto-select -run-command "$sesame launch --tag dev -- {cmd}"
check "rofi -show drun -run-command 'sesame launch --tag dev -- {cmd}': exit 0" test "$rc" = 0
new_termite() { [ -n "$(termites | grep -vxF "$before")" ]; }
check "...the entry in its scope" wait_until 5000 new_termite
newest=$(termites | grep -vxF "$before")
rpid=$(grep -l "/$newest\$" /proc/[0-9]*/cgroup | head -1 | cut -d/ -f3)
check "...GREETING=hello from --tag dev" eval 'tr "\0" "\n" <"/proc/$rpid/environ" | grep -qx GREETING=hello'
kill "$xserver"; wait "$xserver" 2>/dev/null

check "the launcher served it all" eval '"$sesame" status >/dev/null'
if [ "$_tap_failed" -gt 0 ]; then
	for f in fuzzel.log dunst.log wofi.log; do echo "# $f:"; sed 's/^/#   /' "$TMPDIR/$f"; done
	dunstctl history | sed 's/^/# /' 
fi
done_testing
