#!/bin/bash
# The Secret Service client against a real gnome-keyring on the harness's
# private session bus (never the user's own), with secret-tool as an
# independent client to cross-check what we store and what we read.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../bare-bus.sh"
sesame=${SESAME:?} probe=${SESAME_SECRET_PROBE:?}

export HOME=$TMPDIR/home XDG_CONFIG_HOME=$TMPDIR/config
mkdir -p "$HOME"

start_bare_bus
DBUS_SESSION_BUS_ADDRESS=$bare_address run "$sesame" secret list
check "no Secret Service on the bus: a clear error" bash -c '[ $1 != 0 ] && grep -q "no Secret Service on the session bus" <<<"$2"' _ "$rc" "$err"
DBUS_SESSION_BUS_ADDRESS=$bare_address run "$sesame" unlock
kill "$bare_pid"
check "unlock with no Secret Service: the same clear error" bash -c '[ $1 = 1 ] && grep -q "no Secret Service on the session bus" <<<"$2"' _ "$rc" "$err"

echo -n testpass | gnome-keyring-daemon --unlock --components=secrets --daemonize >"$TMPDIR/gk.env" 2>/dev/null
keyring=$(sed -n 's/^GNOME_KEYRING_CONTROL=//p' "$TMPDIR/gk.env")
service_up() { busctl --user status org.freedesktop.secrets >/dev/null 2>&1; }
check "a private gnome-keyring is up" wait_until 10000 service_up
trap 'pkill_pid=$(busctl --user status org.freedesktop.secrets 2>/dev/null | sed -n "s/^PID=//p"); [ -n "$pkill_pid" ] && kill "$pkill_pid"' EXIT

sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

run "$sesame" secret list 
check "list with nothing stored: said so, not an empty silence" \
	eval '[ "$rc" = 0 ] && [ -z "$out" ] && grep -q "no secret of sesame.s is stored" <<<"$err"'

value='tok-ÄÖÜ-123 with spaces'
printf '%s\n' "$value" | "$sesame" secret set github-token >/dev/null
check "secret set stores it, without the final newline (read back by secret-tool)" \
	test "$(secret-tool lookup sesame-profile default sesame-secret github-token)" = "$value"

run "$probe" default github-token
check "our client reads it back through the dh-ietf1024-sha256-aes128-cbc-pkcs7 session" \
	test "$out" = "dh-ietf1024-sha256-aes128-cbc-pkcs7 ${#value} $(sha "$value")" -o \
	"$out" = "dh-ietf1024-sha256-aes128-cbc-pkcs7 $(printf '%s' "$value" | wc -c) $(sha "$value")"

printf '%s' 'work-value' | secret-tool store --label=w sesame-profile work sesame-secret github-token
run "$probe" work github-token
check "the same name in two trust profiles stays apart (work)" test "$out" = "dh-ietf1024-sha256-aes128-cbc-pkcs7 10 $(sha work-value)"
run "$probe" default github-token
check "...and (default)" bash -c 'grep -q " $1$" <<<"$2"' _ "$(sha "$value")" "$out"

run "$sesame" secret list
check "list: names and profiles" bash -c 'grep -qx "default	github-token" <<<"$1" && grep -qx "work	github-token" <<<"$1"' _ "$out"
check "list: never a value" bash -c '! grep -q "tok-\|work-value" <<<"$1$2"' _ "$out" "$err"

run "$probe" default no-such-secret
check "a missing secret is told apart" test "$rc" = 3

printf '\xff\xfe bad' | secret-tool store --label=b sesame-profile default sesame-secret binary
run "$probe" default binary
check "a value that is not UTF-8 is refused" test "$rc" = 4
check "...naming the item, not the value" bash -c 'grep -q "not valid UTF-8" <<<"$1" && ! grep -q "bad" <<<"$1"' _ "$err"

busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
	Lock ao 1 /org/freedesktop/secrets/collection/login >/dev/null
run "$probe" default github-token
check "a locked vault is told apart from a missing secret" test "$rc" = 2
run "$sesame" secret rm github-token
check "rm in a locked vault says how to unlock" bash -c 'grep -q "sesame unlock default" <<<"$1"' _ "$err"
run "$sesame" secret list
check "list marks locked secrets" bash -c 'grep -qx "default	github-token	(locked)" <<<"$1"' _ "$out"

# sesame unlock follows gnome-keyring's prompt to its Completed signal.
# Here no prompter can be shown (no display: gnome-keyring's activated
# gcr-prompter gives up), so the prompt ends dismissed, as when a person
# cancels it. Answering a real password dialog is not possible headless.
locked() { busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
	org.freedesktop.Secret.Collection Locked; }
run "$sesame" unlock default
check "unlock of a locked vault: the dismissed prompt is reported (status 15)" \
	bash -c '[ $1 = 15 ] && grep -q "prompt was dismissed" <<<"$2"' _ "$rc" "$err"
check "...and the vault is still locked" test "$(locked)" = "b true"
run "$sesame" unlock no-such-profile
check "unlock of an unknown trust profile: named, status 1" \
	bash -c '[ $1 = 1 ] && grep -q "no trust profile .no-such-profile." <<<"$2"' _ "$rc" "$err"
echo -n testpass | gnome-keyring-daemon --unlock --components=secrets --replace --daemonize >/dev/null 2>&1 || true
check "the keyring is unlocked again (through its control socket)" wait_until 10000 bash -c '[ "$(busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets/collection/login org.freedesktop.Secret.Collection Locked 2>/dev/null)" = "b false" ]'
run "$sesame" unlock
check "unlock of an unlocked vault needs no prompt: status 0" bash -c '[ $1 = 0 ] && grep -qx "unlocked default" <<<"$2"' _ "$rc" "$out"

done_testing
