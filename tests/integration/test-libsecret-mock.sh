#!/bin/bash
# libsecret's own mock Secret Services (tests/vendor/libsecret, run by
# tests/libsecret-mock.py under org.freedesktop.secrets on a bus of their
# own), against sesame secret, sesame unlock and a launch with Secret=, with
# libsecret's secret-tool on the same services to compare. The cases where
# sesame and libsecret parted (the issue: limits and peers, item 11): a
# locked collection (libsecret unlocks it to store), an empty service
# (libsecret makes the default collection), Collection= for rm and list,
# hints about locked vaults that cannot hold the secret, a trust profile
# the configuration does not know.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
. "$(dirname "$0")/../private-bus.sh"
mock=$(cd "$(dirname "$0")/.." && pwd)/libsecret-mock.py

xdg_dirs --home
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[TrustProfile eng]
Collection=english
[TrustProfile es]
Collection=spanish
[TrustProfile lp]
Collection=lockprompt
[TrustProfile anywhere]
[LaunchProfile eng:tok]
Secret=tok
CONF
desktop_entry probe "sh -c 'echo \"\$TOK\" >\"\$PROBE_OUT\"; sleep 300'"
"$sesame" keys init >/dev/null
private_bus "$TMPDIR" bus_pid
kill_at_exit "$bus_pid"

# serve SCRIPT: one of libsecret's mock services, the previous one ended.
service=
serve() {
	[ -n "$service" ] && kill "$service" && wait "$service" 2>/dev/null
	: >"$TMPDIR/mock.out"
	/usr/bin/python3 "$mock" "$1" >"$TMPDIR/mock.out" 2>"$TMPDIR/mock.err" &
	service=$!
	kill_at_exit "$service"
	wait_until 10000 test -s "$TMPDIR/mock.out"
}
locked() { busctl --user get-property org.freedesktop.secrets "/org/freedesktop/secrets/collection/$1" \
	org.freedesktop.Secret.Collection Locked; }
tool_values() { secret-tool search --all --unlock "$@" 2>/dev/null | sed -n 's/^secret = //p' | sort | tr '\n' ' '; }

# ---- the standard objects: english (the default, unlocked), spanish and
# german (locked), empty, session
serve mock-service-normal.py
check "libsecret's mock service answers secret-tool" test "$(secret-tool lookup number 1)" = 111

run "$sesame" secret set --profile eng tok < <(printf v-english)
check "set into Collection=english: stored, secret-tool reads it" \
	eval '[ "$rc" = 0 ] && [ "$(secret-tool lookup sesame-profile eng sesame-secret tok)" = v-english ]'
check "spanish is locked to begin with" grep -q "b true" <<<"$(locked spanish)"
run "$sesame" secret set --profile es tok < <(printf v-spanish)
check "set into a locked collection: unlocked through its prompt and stored, as secret-tool store does" \
	eval '[ "$rc" = 0 ] && grep -q "b false" <<<"$(locked spanish)" &&
	[ "$(secret-tool lookup sesame-profile es sesame-secret tok)" = v-spanish ]'

run "$sesame" secret list --profile eng
check "list --profile eng: its one secret" test "$out" = "$(printf 'eng\ttok')"
# The same secret of eng in another collection, put there by secret-tool.
printf v-session | secret-tool store --label=stray --collection=/org/freedesktop/secrets/collection/session \
	sesame-profile eng sesame-secret tok
check "(secret-tool put a copy of eng's tok into the session collection)" \
	test "$(tool_values sesame-profile eng sesame-secret tok)" = "v-english v-session "
run "$sesame" secret list
check "list honours Collection=: the copy outside english is not eng's" \
	test "$(sort <<<"$out")" = "$(printf 'eng\ttok\nes\ttok')"
run "$sesame" secret rm --profile eng tok
check "rm honours Collection=: the english one removed, the copy in another collection kept" \
	eval '[ "$rc" = 0 ] && [ "$(tool_values sesame-profile eng sesame-secret tok)" = "v-session " ]'
run "$sesame" secret rm --profile eng nothere
check "rm of a missing secret: said, with no hint about the locked german collection, which cannot hold it" \
	eval '[ "$rc" = 1 ] && grep -q "no secret nothere in trust profile eng" <<<"$err" && ! grep -q locked <<<"$err"'
run "$sesame" secret set --profile nosuch x < <(printf v)
check "a trust profile the configuration does not know: refused, nothing stored" \
	eval '[ "$rc" = 1 ] && grep -q "no trust profile .nosuch." <<<"$err" && [ -z "$(tool_values sesame-profile nosuch)" ]'
run "$sesame" unlock eng
check "sesame unlock of an unlocked collection: done" test "$rc" = 0

# A launch with Secret= from the mock service.
printf v-launch | "$sesame" secret set --profile eng tok >/dev/null
start_daemon
PROBE_OUT=$TMPDIR/tok.out
systemctl --user set-environment PROBE_OUT="$PROBE_OUT" 2>/dev/null || export PROBE_OUT
run "$sesame" launch probe --tag eng:tok
take_pid probe_pid
check "a launch with Secret= gets the value from libsecret's mock service" \
	eval '[ "$rc" = 0 ] && wait_until 5000 test -s "$PROBE_OUT" && [ "$(cat "$PROBE_OUT")" = v-launch ]'
stop_daemon

# ---- mock-service-lock.py: a collection that is locked and asks to
# confirm (lockprompt)
serve mock-service-lock.py
run "$sesame" secret set --profile lp tok < <(printf v-lock)
check "lock service: set into the locked lockprompt collection, unlocked by its prompt" \
	eval '[ "$rc" = 0 ] && [ "$(secret-tool lookup sesame-profile lp sesame-secret tok)" = v-lock ]'

# ---- mock-service-only-plain.py: no encrypted session on offer
serve mock-service-only-plain.py
run "$sesame" secret set --profile eng plain-tok < <(printf v-plain)
check "a service with only the plain algorithm: stored over a plain session, secret-tool reads it" \
	eval '[ "$rc" = 0 ] && [ "$(secret-tool lookup sesame-profile eng sesame-secret plain-tok)" = v-plain ]'
run "$sesame" secret list --profile eng
check "...and listed" test "$out" = "$(printf 'eng\tplain-tok')"

# ---- mock-service-delete.py: items that ask to confirm their removal
serve mock-service-delete.py
printf v-del | secret-tool store --label=del --collection=/org/freedesktop/secrets/collection/english \
	sesame-profile eng sesame-secret del-tok
run "$sesame" secret rm --profile eng del-tok
check "delete service: rm removes it, secret-tool finds it no more" \
	eval '[ "$rc" = 0 ] && ! secret-tool lookup sesame-profile eng sesame-secret del-tok >/dev/null 2>&1'

# ---- mock-service-empty.py: no collection at all
serve mock-service-empty.py
check "the empty service has no collection" \
	eval '! busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service Collections | grep -q collection/'
run "$sesame" secret set --profile anywhere k < <(printf v-empty)
check "empty service: the default collection made, as libsecret makes it, and the secret stored" \
	eval '[ "$rc" = 0 ] && [ "$(secret-tool lookup sesame-profile anywhere sesame-secret k)" = v-empty ]'

done_testing
