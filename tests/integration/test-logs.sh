#!/bin/bash
# sesame logs against a real systemd-journald (in the harness's private
# /run): one entry's lines and no other's, by PID and by unit, -n, --since,
# --json with the priority of a <N> prefix, -f, and the launcher's own log.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

check "a private journald is up" start_journald

xdg_dirs
desktop_entry org.example.Alpha "sh -c 'echo alpha one >&2; echo \"<3>alpha broke\" >&2; echo alpha out; sleep 300'" Name=Alpha
desktop_entry org.example.Beta "sh -c 'echo beta \$\$ >&2; sleep 300'" Name=Beta
"$sesame" keys init >/dev/null
# The launcher's own log in the journal, as under its service (stderr a
# journal stream that JOURNAL_STREAM names).
start_daemon systemd-cat -t sesame-launcherd bash -c 'export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2); exec "$@"' _

run "$sesame" launch org.example.Alpha
take_pid alpha
run "$sesame" launch org.example.Beta
take_pid beta
sync_journal() { journalctl --sync 2>/dev/null; }
has() { sync_journal; "$sesame" logs "$1" 2>/dev/null | grep -q "$2"; }
wait_until 5000 has org.example.Alpha "alpha broke"
wait_until 5000 has org.example.Beta "beta $beta"

run "$sesame" logs alpha
check "logs ENTRY (a name launch takes): that app's stderr lines, in order, and nothing else" \
	eval '[ "$rc" = 0 ] && [ "$(cut -d" " -f4- <<<"$out")" = "org.example.Alpha[$alpha]: alpha one
org.example.Alpha[$alpha]: alpha broke" ]'
check "...not its stdout (kept off the journal), not another app's, not the launcher's" \
	eval '! grep -q "alpha out\|beta\|launched" <<<"$out"'
run "$sesame" logs --json org.example.Alpha
check "--json: the priority of a <N> prefix, the message without it, pid and identifier" /usr/bin/python3 -c '
import json, sys
l = [json.loads(x) for x in sys.argv[1].splitlines()]
assert [(e["message"], e["priority"]) for e in l] == [("alpha one", 6), ("alpha broke", 3)], l
assert all(e["pid"] == int(sys.argv[2]) and e["identifier"] == "org.example.Alpha" for e in l), l
' "$out" "$alpha"
run "$sesame" logs -n 1 org.example.Alpha
check "-n 1: the last line" eval '[ "$rc" = 0 ] && [ "$(wc -l <<<"$out")" = 1 ] && grep -q "alpha broke$" <<<"$out"'
run "$sesame" logs --since 1h org.example.Alpha
check "--since 1h: both" test "$(wc -l <<<"$out")" = 2
run "$sesame" logs --since "$(date -d "+1 hour" "+%Y-%m-%d %H:%M")" org.example.Alpha
check "--since a time to come: nothing, said so (3)" eval '[ "$rc" = 3 ] && grep -q "nothing logged for org.example.Alpha in that time" <<<"$err"'
run "$sesame" logs "$beta"
check "logs PID: that app's lines" eval '[ "$rc" = 0 ] && grep -q "beta $beta$" <<<"$out" && ! grep -q alpha <<<"$out"'
run "$sesame" logs "app-open-sesame-org-example-Beta-$beta.scope"
check "logs UNIT: the lines of the app in that scope" eval '[ "$rc" = 0 ] && grep -q "beta $beta$" <<<"$out" && ! grep -q alpha <<<"$out"'
run "$sesame" logs org.example.Nothing
check "an entry with nothing logged says so (3)" eval '[ "$rc" = 3 ] && grep -q "nothing logged for org.example.Nothing" <<<"$err"'
run "$sesame" logs
check "no argument: the launcher's own log" eval '[ "$rc" = 0 ] && grep -q "sesame-launcherd\[[0-9]*\]: ready on" <<<"$out" && ! grep -q "alpha one" <<<"$out"'
run "$sesame" logs -n lots
check "-n takes a number (2)" test "$rc" = 2

# -f: a line written after it started appears; SIGINT ends it.
"$sesame" logs -f org.example.Beta >"$TMPDIR/follow" 2>&1 &
follower=$!
kill_at_exit "$follower"
wait_until 5000 grep -q "beta $beta" "$TMPDIR/follow"
run "$sesame" launch org.example.Beta
take_pid beta2
followed() { sync_journal; grep -q "beta $beta2$" "$TMPDIR/follow"; }
check "-f: a line written after it started appears (a new instance's)" wait_until 5000 followed
kill -INT "$follower"
wait "$follower"
check "...and SIGINT ends it (0)" test $? = 0

# Output= and StandardOutput=, per profile (the launcher's default: journal).
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile loud]
StandardOutput=journal
[LaunchProfile quiet]
Output=null
[LaunchProfile ours]
Output=inherit
CONF
reloaded() { grep -q "configuration reloaded" "$TMPDIR/daemon.log" 2>/dev/null || "$sesame" launch --dry-run org.example.Alpha --tag loud >/dev/null 2>&1; }
wait_until 5000 reloaded
desktop_entry org.example.Gamma "sh -c 'echo gamma err \$\$ >&2; echo gamma out \$\$; sleep 300'" Name=Gamma
gamma_ready() { "$sesame" launch --dry-run org.example.Gamma >/dev/null 2>&1; }
wait_until 5000 gamma_ready
run "$sesame" launch org.example.Gamma --tag loud
take_pid loud
both() { sync_journal; out=$("$sesame" logs "$loud" 2>/dev/null); grep -q "gamma err $loud" <<<"$out" && grep -q "gamma out $loud" <<<"$out"; }
check "StandardOutput=journal: stdout on the app's stream too" wait_until 5000 both
run "$sesame" launch org.example.Gamma --tag quiet
take_pid quiet
run "$sesame" launch org.example.Gamma --tag ours
take_pid ours
# What the launcher itself wrote (its stderr is a journal stream named
# sesame-launcherd): the app's lines there under Output=inherit.
inherited() { sync_journal; journalctl --no-pager -q -t sesame-launcherd 2>/dev/null | grep -q "gamma err $ours"; }
check "Output=inherit: the app writes to the launcher's stderr" wait_until 5000 inherited
check "...not under its entry ID (no stream of its own: the launcher's name on its lines)" \
	eval '! "$sesame" logs org.example.Gamma 2>/dev/null | grep -q "gamma err $ours"'
check "Output=null: nowhere (fd 2 is /dev/null), and no stream" \
	eval '[ "$(readlink "/proc/$quiet/fd/2")" = /dev/null ] && ! journalctl --no-pager -q 2>/dev/null | grep -q "gamma err $quiet"'
check "the default (journal): stdout on /dev/null" eval '[ "$(readlink "/proc/$beta/fd/1")" = /dev/null ]'

check "the launcher serves on" eval '"$sesame" status >/dev/null'
done_testing
