#!/bin/bash
# Two locked collections, a trust profile without Collection= whose secret
# is in the second (not the default): sesame unlock, through the launcher,
# unlocks both and says so only once each reads unlocked; a launch then
# gets the secret. Real gnome-keyring, its prompts answered by gcr's mock
# prompter (tests/prompter.py).
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs --home
desktop_entry sleeper "sleep 300" Name=Sleeper
printf '[LaunchProfile dev]\nSecret=second-token\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"

# Answers, in order: the new collection's password, then one per
# collection the unlock asks for, in its order (the second's, holding our
# locked item, then login's).
coproc PROMPTER { exec /usr/bin/python3 "$(dirname "$0")/../prompter.py" pw2 pw2 testpass; }
read -r prompter_name <&"${PROMPTER[0]}"
echo -n testpass | GNOME_KEYRING_TEST_PROMPTER=$prompter_name \
	gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
wait_until 10000 busctl --user status org.freedesktop.secrets >/dev/null 2>&1
keyring=$(busctl --user status org.freedesktop.secrets 2>/dev/null | sed -n 's/^PID=//p')
at_exit '[ -n "$keyring" ] && kill "$keyring" 2>/dev/null'
at_exit '[ -n "${PROMPTER_PID:-}" ] && kill "$PROMPTER_PID" 2>/dev/null'
locked() { [ "$(busctl --user get-property org.freedesktop.secrets "$1" org.freedesktop.Secret.Collection Locked)" = "b true" ]; }

second=$(/usr/bin/python3 "$(dirname "$0")/../make-collection.py" Second)
check "a second collection" test -n "$second" -a "$second" != None
printf 'in-second' | secret-tool store --label=s --collection="$second" sesame-profile default sesame-secret second-token
busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service Lock ao 2 \
	/org/freedesktop/secrets/collection/login "$second" >/dev/null
check "(both collections locked)" eval 'locked /org/freedesktop/secrets/collection/login && locked "$second"'

"$sesame" keys init >/dev/null
start_daemon
run "$sesame" launch --notify=never sleeper --tag dev
check "a launch: VaultsLocked (the secret is in a locked collection)" test "$rc" = 15
notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
run "$sesame" launch --notify=always sleeper --tag dev
check "...notified as critical and never expiring: the user must act (unlock)" /usr/bin/python3 -c '
import json, sys
n = [json.loads(l) for l in open(sys.argv[1])]
assert len(n) == 1 and n[0]["hints"]["urgency"] == 2 and n[0]["timeout"] == 0, n
assert "sesame unlock default" in n[0]["body"], n
' "$notes"
run "$sesame" unlock default
check "sesame unlock (no Collection=): every locked collection unlocked, said once they read so" \
	eval '[ "$rc" = 0 ] && [ "$out" = "unlocked default" ] && ! locked /org/freedesktop/secrets/collection/login && ! locked "$second"' || echo "# rc=$rc $out $err"
run "$sesame" launch --notify=never sleeper --tag dev
take_pid pid
check "...and the launch gets the secret from the second collection" \
	eval '[ "$rc" = 0 ] && [ "$(tr "\0" "\n" <"/proc/$pid/environ" | sed -n "s/^SECOND_TOKEN=//p")" = in-second ]'
check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
