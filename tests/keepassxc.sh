# KeePassXC 2.7.4 as a second Secret Service, headless, for the tests:
# source it, then call keepassxc_start (and keepassxc_stop at the end).
#
# It runs on a private dbus-daemon (tests/private-bus.sh). The database is made with keepassxc-cli and its
# group "Secrets" exposed to the Secret Service by adding
# Meta/CustomData FDO_SECRETS_EXPOSED_GROUP={group UUID} to an XML export
# and importing it back: what KeePassXC's database settings do.
# DBUS_SESSION_BUS_ADDRESS is exported pointing at that bus.
. "$(dirname "${BASH_SOURCE[0]}")/private-bus.sh"
kpx_dir=$TMPDIR/keepassxc
kpx_pid=
kpx_bus_pid=

# keepassxc_config KEY=VALUE...: the [FdoSecrets] settings.
keepassxc_config() {
	{
		printf '[General]\nRememberLastDatabases=false\nRememberLastKeyFiles=false\n'
		printf '[FdoSecrets]\nEnabled=true\nShowNotification=false\n'
		printf '%s\n' "$@"
	} >"$kpx_dir/keepassxc.ini"
}

keepassxc_make_db() {
	mkdir -p "$kpx_dir"
	printf 'pw\npw\n' | keepassxc-cli db-create -p "$kpx_dir/plain.kdbx" >/dev/null 2>&1
	printf 'pw\n' | keepassxc-cli mkdir "$kpx_dir/plain.kdbx" Secrets >/dev/null 2>&1
	printf 'pw\n' | keepassxc-cli export -f xml "$kpx_dir/plain.kdbx" 2>/dev/null >"$kpx_dir/plain.xml"
	/usr/bin/python3 - "$kpx_dir/plain.xml" "$kpx_dir/exposed.xml" <<'PY'
import base64, re, sys, uuid
x = open(sys.argv[1]).read()
group = uuid.UUID(bytes=base64.b64decode(re.search(r"<UUID>([^<]+)</UUID>\s*<Name>Secrets</Name>", x).group(1)))
item = "<Item><Key>FDO_SECRETS_EXPOSED_GROUP</Key><Value>{%s}</Value></Item>" % group
x = x.replace("<CustomData/>", "<CustomData>%s</CustomData>" % item, 1) if "<CustomData/>" in x.split("</Meta>")[0] \
    else x.replace("<Meta>", "<Meta><CustomData>%s</CustomData>" % item, 1)
open(sys.argv[2], "w").write(x)
PY
	printf 'pw\npw\n' | keepassxc-cli import -p "$kpx_dir/exposed.xml" "$kpx_dir/vault.kdbx" >/dev/null 2>&1
	[ -s "$kpx_dir/vault.kdbx" ]
}

kpx_collection() {
	busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
		Collections 2>/dev/null | awk '{ gsub(/"/, "", $3); print $3 }'
}
kpx_locked() {
	local c
	c=$(kpx_collection)
	[ -n "$c" ] && busctl --user get-property org.freedesktop.secrets "$c" org.freedesktop.Secret.Collection Locked 2>/dev/null
}
kpx_open() { [ "$(kpx_locked)" = "b false" ]; }
kpx_closed() { [ "$(kpx_locked)" = "b true" ]; }

# keepassxc_start: KeePassXC with the vault open (the bus name appears
# before the database is open: its collection's Locked is waited for).
keepassxc_start() {
	[ -n "$kpx_bus_pid" ] || private_bus "$kpx_dir" kpx_bus_pid || return 1
	mkdir -p "$kpx_dir/home" "$kpx_dir/run"
	chmod 700 "$kpx_dir/run"
	# Offscreen, or on an X server when KPX_DISPLAY names one (to answer
	# its dialogs with xdotool).
	local qpa=offscreen
	[ -n "${KPX_DISPLAY:-}" ] && qpa=xcb
	printf 'pw\n' | DISPLAY=${KPX_DISPLAY:-} QT_QPA_PLATFORM=$qpa HOME=$kpx_dir/home XDG_CONFIG_HOME=$kpx_dir/home XDG_RUNTIME_DIR=$kpx_dir/run \
		keepassxc --config "$kpx_dir/keepassxc.ini" --localconfig "$kpx_dir/local.ini" --pw-stdin \
		"$kpx_dir/vault.kdbx" >>"$kpx_dir/keepassxc.log" 2>&1 &
	kpx_pid=$!
	wait_until 20000 kpx_open
}

# keepassxc_lock: Service.Lock on the vault, and the prompt it returns.
keepassxc_lock() {
	local prompt
	prompt=$(busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
		Lock ao 1 "$(kpx_collection)" | awk '{ gsub(/"/, "", $NF); print $NF }')
	[ "$prompt" = / ] || busctl --user call org.freedesktop.secrets "$prompt" org.freedesktop.Secret.Prompt Prompt s "" >/dev/null
	wait_until 10000 kpx_closed
}

# (It ignores SIGTERM while a dialog is open: stop_process kills it then.)
keepassxc_stop() {
	[ -n "$kpx_pid" ] || return 0
	stop_process "$kpx_pid"
	kpx_pid=
}
