#!/bin/bash
# KWallet (kwalletd5, Debian 12) as the Secret Service, headless
# (tests/kwallet.sh): unlock, secret set/list/rm checked with secret-tool,
# and a launch with a secret from it.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../kwallet.sh"
sesame=${SESAME:?} launcherd=${SESAME_LAUNCHERD:?}

export HOME=$TMPDIR/home XDG_CONFIG_HOME=$TMPDIR/config XDG_DATA_HOME=$TMPDIR/data XDG_DATA_DIRS=$TMPDIR/none
mkdir -p "$HOME" "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME/sesame"
printf '[Desktop Entry]\nType=Application\nName=Sleeper\nExec=sleep 300\n' >"$XDG_DATA_HOME/applications/sleeper.desktop"
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[TrustProfile default]
Collection=kdewallet
[LaunchProfile dev]
Secret=github-token
CONF

daemon= started=()
cleanup() {
	local p
	[ -n "$daemon" ] && kill -KILL "$daemon" 2>/dev/null
	for p in "${started[@]}"; do kill -KILL "$p" 2>/dev/null; done
	kwallet_stop
	[ -n "$kw_bus_pid" ] && kill "$kw_bus_pid" 2>/dev/null
}
trap cleanup EXIT
envvar() { tr '\0' '\n' <"/proc/$1/environ" | sed -n "s/^$2=//p"; }

check "kwalletd5 serves org.freedesktop.secrets with a wallet" kwallet_start
run "$sesame" unlock
check "sesame unlock: the wallet's collection unlocked (Collection=kdewallet; no default alias)" \
	eval '[ "$rc" = 0 ] && [ "$(busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets/collection/kdewallet org.freedesktop.Secret.Collection Locked)" = "b false" ]'
run "$sesame" secret set github-token < <(printf kw-value)
looked_up() { [ "$(secret-tool lookup sesame-secret github-token 2>/dev/null)" = kw-value ]; }
check "secret set: stored, secret-tool reads it (the session's DH key from QCA has a leading zero half the time)" \
	eval '[ "$rc" = 0 ] && wait_until 5000 looked_up'
run "$sesame" secret set tmp-token < <(printf tmp)
run "$sesame" secret list
check "secret list: both" eval '[ "$(sort <<<"$out")" = "$(printf "default\tgithub-token\ndefault\ttmp-token")" ]'
run "$sesame" secret rm tmp-token
check "secret rm: gone" eval '[ "$rc" = 0 ] && ! secret-tool lookup sesame-secret tmp-token >/dev/null 2>&1'

"$sesame" keys init >/dev/null
SESAME_TEST_DAEMON_ONLY=1 "$launcherd" 2>>"$TMPDIR/daemon.log" &
daemon=$!
wait_until 5000 "$sesame" status >/dev/null 2>&1
run "$sesame" launch --notify=never sleeper --tag dev
pid=$(sed -n 's/^pid=\([0-9]*\) .*/\1/p' <<<"$out"); [ -n "$pid" ] && started+=("$pid")
check "a launch with a secret from KWallet" eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = kw-value ]'
check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
