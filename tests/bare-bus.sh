# start_bare_bus: a private session bus with no Secret Service and nothing
# to activate one (the standard session configuration without its service
# directories). Sets bare_address and bare_pid; the caller kills bare_pid.
start_bare_bus() {
	grep -v "servicedir\|includedir\|<include" /usr/share/dbus-1/session.conf |
		sed "s|<listen>.*</listen>|<listen>unix:dir=$TMPDIR</listen>|" >"$TMPDIR/bare-bus.conf"
	local bare
	bare=$(dbus-daemon --config-file="$TMPDIR/bare-bus.conf" --fork --print-address=1 --print-pid=1)
	bare_address=$(sed -n 1p <<<"$bare") bare_pid=$(sed -n 2p <<<"$bare")
}
