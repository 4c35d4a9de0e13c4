#!/bin/bash
# The launch log line under a real systemd-journald (started here, in the
# harness's private /run): structured SESAME_* fields, and no value of the
# child's environment anywhere in the journal.
set -u
. "$(dirname "$0")/../tap.sh"
sesame=${SESAME:?path of the sesame binary}

/lib/systemd/systemd-journald &
journald=$!
trap 'kill "$journald" 2>/dev/null; wait "$journald" 2>/dev/null' EXIT
stream_ready() { [ -S /run/systemd/journal/stdout ] && [ -S /run/systemd/journal/socket ]; }
check "a private journald is up" wait_until 5000 stream_ready

# As systemd does for a service: stderr is a journal stream and
# JOURNAL_STREAM names it. The value travels in the environment, not in any
# argv: journald records every sender's command line.
secret="do-not-log-$RANDOM$RANDOM"
SESAME_TEST_SECRET=$secret systemd-cat -t sesame-test bash -c '
export JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2)
exec "$0" run --wait --id org.example.Journal -- sh -c "exit 4"
' "$sesame"
rc=$?
check "the launch ran (status passed on)" test "$rc" = 4

journalctl --sync 2>/dev/null
entries=$(journalctl --no-pager -o json SYSLOG_IDENTIFIER=sesame 2>/dev/null)
check "the launch line carries structured fields" python3 -c '
import json, sys
launches = [json.loads(l) for l in sys.argv[1].splitlines() if "SESAME_VIA_SCOPE" in l]
assert len(launches) == 1, launches
e = launches[0]
assert e["SESAME_ENTRY_ID"] == "org.example.Journal", e
assert e["SESAME_UNIT"] == "app-open-sesame-org-example-Journal-%s.scope" % e["SESAME_PID"], e
assert e["SESAME_VIA_SCOPE"] == "true", e
assert int(e["SESAME_ENV_COUNT"]) > 1, e
assert e["PRIORITY"] == "6", e
' "$entries"
check "the exit is logged with its status and the entry ID" python3 -c '
import json, sys
exits = [json.loads(l) for l in sys.argv[1].splitlines() if "SESAME_EXIT_STATUS" in l]
assert len(exits) == 1 and exits[0]["SESAME_EXIT_STATUS"] == "4", exits
assert exits[0]["SESAME_ENTRY_ID"] == "org.example.Journal", exits
' "$entries"
check "no environment value reaches the journal" \
	bash -c '! journalctl --no-pager -o export 2>/dev/null | grep -aq "$1"' _ "$secret"
check "...while the journal does hold the launch" \
	bash -c 'journalctl --no-pager -o export 2>/dev/null | grep -aq "org.example.Journal"'

done_testing
