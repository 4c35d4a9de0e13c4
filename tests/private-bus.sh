# private_bus DIR VAR: a dbus-daemon of its own listening on DIR/bus, with no
# service directory (the harness's bus would activate gnome-keyring for
# org.freedesktop.secrets); its PID into VAR, DBUS_SESSION_BUS_ADDRESS
# exported pointing at it. For the tests of other Secret Services.
private_bus() {
	local dir=$1
	cat >"$dir/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig><type>session</type><listen>unix:path=$dir/bus</listen>
<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>
<allow own="*"/></policy></busconfig>
CONF
	dbus-daemon --config-file="$dir/bus.conf" --nofork >/dev/null 2>&1 &
	printf -v "$2" '%s' "$!"
	export DBUS_SESSION_BUS_ADDRESS=unix:path=$dir/bus
	wait_until 5000 test -S "$dir/bus"
}
