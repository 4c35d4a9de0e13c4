#!/bin/bash
# sesame run, from the outside, inside a private user manager.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

# -- output and placement
run "$sesame" run -- sleep 60
take_pid pid
check "run prints pid=N unit=NAME via_scope=true" \
	test "$out" = "pid=$pid unit=app-open-sesame-sleep-$pid.scope via_scope=true"
check "exit status 0 once the program runs" test "$rc" = 0
check "the child is in its scope under app.slice" \
	grep -qx "0::/app.slice/app-open-sesame-sleep-$pid.scope" "/proc/$pid/cgroup"
check "the launch is logged with its fields, no values" \
	grep -q "entry_id=sleep pid=$pid unit=app-open-sesame-sleep-$pid.scope via_scope=true env_count=" <<<"$err"
kill "$pid"

run "$sesame" run --json --id org.example.App --env SESAME_TEST_VAR=hello -- sleep 60
pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pid"])' "$out" 2>/dev/null)
[ -n "$pid" ] && kill_at_exit "$pid"
check "--json prints one object with pid, unit, via_scope" python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert set(o) == {"pid", "unit", "via_scope"}, o
assert o["unit"] == "app-open-sesame-org-example-App-%d.scope" % o["pid"], o
assert o["via_scope"] is True
' "$out"
check "--env reaches the program" grep -qz '^SESAME_TEST_VAR=hello$' "/proc/$pid/environ"
kill "$pid"

run "$sesame" run --scope none --json -- sleep 60
pid=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["pid"])' "$out" 2>/dev/null)
[ -n "$pid" ] && kill_at_exit "$pid"
check "--scope none: unit null, via_scope false" python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert o["unit"] is None and o["via_scope"] is False, o
' "$out"
kill "$pid"

run "$sesame" run --scope none -- sleep 60
take_pid pid
check "direct spawn prints unit=- via_scope=false" test "$out" = "pid=$pid unit=- via_scope=false"
kill "$pid"

# -- --wait
run "$sesame" run --wait -- sh -c 'exit 7'
check "--wait exits with the program's status" test "$rc" = 7
run "$sesame" run --wait -- sh -c 'kill -TERM $$'
check "--wait: killed by signal N exits 128+N" test "$rc" = 143
run "$sesame" run --wait --scope systemd-run -- sh -c 'exit 5'
check "--wait works through systemd-run" test "$rc" = 5

# -- errors
run "$sesame" run -- /nonexistent/program
check "missing program: exit 127" test "$rc" = 127
check "missing program: errno text naming the program" \
	grep -q "cannot execute '/nonexistent/program': No such file or directory" <<<"$err"
check "missing program: nothing on stdout" test -z "$out"
run "$sesame" run --json -- /nonexistent/program
check "missing program with --json: an error object" python3 -c '
import json, sys
o = json.loads(sys.argv[1])
assert o["error"] == "SpawnFailed" and "No such file" in o["reason"], o
' "$out"
run "$sesame" run --cwd relative -- true
check "relative --cwd: exit 125 with a clear message" \
	test "$rc" = 125 -a "$err" = "sesame run: working directory 'relative' is not an absolute path"
run "$sesame" run --cwd /nonexistent -- true
check "missing --cwd: exit 125" test "$rc" = 125
run "$sesame" run --scope bogus -- true
check "bad --scope: usage error 2" test "$rc" = 2
run "$sesame" run
check "no program: usage error 2" test "$rc" = 2
run "$sesame" run --env 'not valid' -- true
check "bad --env: usage error 2" test "$rc" = 2
run "$sesame" run --help
check "--help explains the modes and exit statuses" \
	grep -q "systemd-run: wrap in systemd-run" <<<"$out"
check "--help exits 0" test "$rc" = 0
run "$sesame" frobnicate
check "unknown command: exit 2" test "$rc" = 2
run "$sesame" help
check "sesame help: the usage, exit 0" eval '[ "$rc" = 0 ] && grep -q "^Usage: sesame COMMAND" <<<"$out"'
run "$sesame" help launch
check "sesame help launch: the command's own help" eval '[ "$rc" = 0 ] && grep -q "^Usage: sesame launch" <<<"$out"'
run "$sesame" launch --tag
check "an option's error names the command as sesame does" \
	eval '[ "$rc" = 2 ] && grep -q "^sesame launch: option .--tag. requires an argument" <<<"$err"'

# -- the program's own options need no --
run "$sesame" run --wait sh -c 'exit 3'
check "options after PROGRAM belong to PROGRAM" test "$rc" = 3

# -- a launched app survives its launcher's SIGKILL
"$sesame" run --wait -- sleep 60 >"${TMPDIR:-/tmp}/sesame-wait.$$" 2>/dev/null &
launcher=$!
kill_at_exit "$launcher"
wait_until 5000 grep -q '^pid=' "${TMPDIR:-/tmp}/sesame-wait.$$"
take_pid pid "${TMPDIR:-/tmp}/sesame-wait.$$"
rm -f "${TMPDIR:-/tmp}/sesame-wait.$$"
kill -KILL "$launcher"
wait "$launcher" 2>/dev/null
check "app keeps running after its launcher is SIGKILLed" kill -0 "$pid"
check "...still in its scope" grep -qx "0::/app.slice/app-open-sesame-sleep-$pid.scope" "/proc/$pid/cgroup"
kill "$pid"

# -- a held child dies with its launcher instead of running outside a scope
marker=$(mktemp -u "${TMPDIR:-/tmp}/sesame-held.XXXXXX")
manager=${SESAME_TEST_MANAGER_PID:?}
kill -STOP "$manager"
"$sesame" run -- touch "$marker" >/dev/null 2>&1 &
launcher=$!
children() { cat "/proc/$launcher/task/$launcher/children" 2>/dev/null; }
has_child() { [ -n "$(children)" ]; }
wait_until 5000 has_child
held=$(children)
held=${held%% *}
kill -KILL "$launcher"
wait "$launcher" 2>/dev/null
# Orphaned, it may linger as a zombie of the namespace's PID 1 for a moment.
gone() { ! kill -0 "$held" 2>/dev/null || grep -q "^State:.*Z" "/proc/$held/status" 2>/dev/null; }
check "held child exits when its launcher dies" wait_until 5000 gone
kill -CONT "$manager"
check "...without running the program" test ! -e "$marker"

# -- the lean client: sesame launch must not pay for libsystemd or libcrypto
# at every start; the D-Bus commands live in sesame-dbus, reached by exec.
needed=$(readelf -d "$sesame" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')
check "sesame links neither libsystemd nor libcrypto ($needed)" \
	eval '! grep -qE "libsystemd|libcrypto" <<<"$needed"'
helper=$(dirname "$sesame")/sesame-dbus
check "sesame-dbus carries run, secret and unlock" \
	eval 'readelf -d "$helper" | grep -q "libsystemd"'
run env PATH=/nonexistent "$sesame" run --help
check "sesame run reaches sesame-dbus without PATH" \
	eval 'test "$rc" = 0 && grep -q "Usage: sesame run" <<<"$out"'

done_testing
