#!/bin/bash
# KWallet (kwalletd5, Debian 12) as the Secret Service, headless
# (tests/kwallet.sh): unlock, secret set/list/rm checked with secret-tool,
# and a launch with a secret from it.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../kwallet.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs --home
desktop_entry sleeper "sleep 300" Name=Sleeper
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[TrustProfile default]
Collection=kdewallet
[LaunchProfile dev]
Secret=github-token
CONF

at_exit kwallet_stop
at_exit '[ -n "$kw_bus_pid" ] && kill "$kw_bus_pid" 2>/dev/null'

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
start_daemon
run "$sesame" launch --notify=never sleeper --tag dev
take_pid pid
check "a launch with a secret from KWallet" eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = kw-value ]'
check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
