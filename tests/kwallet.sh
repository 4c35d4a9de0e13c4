# KWallet (Debian 12's kwalletd5) as a third Secret Service, headless, for
# the tests: source it, then call kwallet_start (kwallet_stop at the end).
#
# kwalletd5 serves org.freedesktop.secrets when kwalletrc says
# [org.freedesktop.secrets] apiEnabled=true. A wallet is made without a
# dialog the way kwallet-pam does it at login: pamOpen with a password
# hash; the Secret Service lists wallets as they were when kwalletd5
# started, so it is started again, and the wallet opened again. [Auto
# Allow] spares the per-application dialog an offscreen Qt cannot show (a
# desktop shows it once per application). Its Diffie-Hellman needs QCA's
# OpenSSL plugin (libqca-qt5-2-plugins). There is no "default" alias:
# trust profiles name the wallet, Collection=kdewallet. It runs on a
# private dbus-daemon (tests/private-bus.sh).
. "$(dirname "${BASH_SOURCE[0]}")/private-bus.sh"
kw_dir=$TMPDIR/kwallet
kw_pid=
kw_bus_pid=

kw_run() {
	HOME=$kw_dir/home XDG_CONFIG_HOME=$kw_dir/home/.config XDG_DATA_HOME=$kw_dir/home/.local/share \
		XDG_RUNTIME_DIR=$kw_dir/run QT_QPA_PLATFORM=offscreen kwalletd5 >>"$kw_dir/kwalletd.log" 2>&1 &
	kw_pid=$!
	wait_until 10000 busctl --user status org.kde.kwalletd5 >/dev/null 2>&1
}

kw_open() {
	# The password hash kwallet-pam would derive; its value does not matter here.
	local hash
	hash=$(printf '7 %.0s' $(seq 56))
	busctl --user call org.kde.kwalletd5 /modules/kwalletd5 org.kde.KWallet pamOpen sayi kdewallet 56 $hash 0
}

kw_listed() {
	busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
		Collections 2>/dev/null | grep -q collection/kdewallet
}

kwallet_stop() {
	[ -n "$kw_pid" ] || return 0
	stop_process "$kw_pid"
	kw_pid=
}

kwallet_start() {
	mkdir -p "$kw_dir/home/.config" "$kw_dir/run"
	chmod 700 "$kw_dir/run"
	printf '[Wallet]\nEnabled=true\nFirst Use=false\nDefault Wallet=kdewallet\n[org.freedesktop.secrets]\napiEnabled=true\n[Auto Allow]\nkdewallet=sesame-dbus,sesame-launcherd,secret-tool,busctl\n' \
		>"$kw_dir/home/.config/kwalletrc"
	private_bus "$kw_dir" kw_bus_pid || return 1
	kw_run || return 1
	kw_open >/dev/null || return 1
	wait_until 5000 test -s "$kw_dir/home/.local/share/kwalletd/kdewallet.kwl" || return 1
	kwallet_stop
	kw_run || return 1
	kw_open >/dev/null || return 1
	wait_until 5000 kw_listed
}
