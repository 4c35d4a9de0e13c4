#!/bin/bash
# The daemon against the input and the faults that broke it (the hardening
# issue): file descriptors running out, a child that cannot even report,
# an exec that hangs, a held child that dies, a slow manager, a flooding
# client, silent sockets, half-closed clients, text that is not UTF-8,
# FIFOs where files belong, and settings changed by a reload. Inside a
# private user manager; each case with a daemon of its own.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../spare.sh"
. "$(dirname "$0")/../lib/daemon.sh"
call=${SESAME_TEST_CALL:?}

xdg_dirs
apps=$XDG_DATA_HOME/applications
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
mkdir -p "$TMPDIR/ran"
desktop_entry sleeper "sleep 300"
# Leaves a trace named after its own PID: proof that the program ran.
cat >"$TMPDIR/mark" <<EOF
#!/bin/sh
touch "$TMPDIR/ran/\$\$"
exec sleep 300
EOF
chmod +x "$TMPDIR/mark"
desktop_entry marker "$TMPDIR/mark"
"$sesame" keys init >/dev/null

at_exit 'kill -CONT "${SESAME_TEST_MANAGER_PID:-0}" 2>/dev/null'

serving() { "$sesame" status >/dev/null 2>&1; }
gone() { exited "$1"; }
reaped() { [ ! -e "/proc/$1" ]; }
config() { printf '%s\n' "$@" >"$conf"; }
state_of() { awk '{print $3}' "/proc/$1/stat" 2>/dev/null; }
# silent_sockets N: N connections to the daemon that never send a byte,
# held by a process in the background ($silent) until it is killed.
silent_sockets() {
	# (Gone before it starts, so the wait below sees this one's "open".)
	rm -f "$TMPDIR/silent.out"
	/usr/bin/python3 -c '
import socket, sys, time
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[2])
    socks.append(s)
print("open", flush=True)
time.sleep(60)' "$1" "$XDG_RUNTIME_DIR/sesame/launcher.sock" >"$TMPDIR/silent.out" &
	silent=$!
	kill_at_exit "$silent"
	wait_until 5000 grep -q open "$TMPDIR/silent.out"
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# ---- 3. A child that fails before it can exec reports it: under a low
# RLIMIT_NOFILE a launch gets SpawnFailed, never the PID of a process that
# did not run the program. The limit is swept over the range where the
# daemon still serves but a launch runs out of descriptors somewhere.
for mode in none dbus; do
	config "[Launcher]" "Scope=$mode"
	lied=0 refused=0 ran=0
	for n in $(seq 6 48); do
		start_daemon --fresh-log prlimit --nofile="$n:$n" || { stop_daemon; continue; }
		for _ in 1 2; do
			run "$sesame" launch marker
			if [ "$rc" = 0 ]; then
				take_pid pid
				if wait_until 3000 test -e "$TMPDIR/ran/$pid"; then ran=$((ran + 1)); else lied=$((lied + 1)); fi
			elif grep -q "setting up the child process failed: Too many open files" <<<"$err"; then
				refused=$((refused + 1))
			fi
		done
		stop_daemon
	done
	check "$mode mode, low RLIMIT_NOFILE: a child that cannot set up says so (SpawnFailed: $refused)" test "$refused" -gt 0
	check "$mode mode, low RLIMIT_NOFILE: never a PID for a program that did not run ($lied of $((lied + ran)))" \
		test "$lied" = 0 -a "$ran" -gt 0
done

# ---- 4 and 6. An exec that hangs (here: systemd-run that reported the
# scope, then stopped) holds neither the event loop nor, past the exec
# limit, a child that could still start after the launch was refused.
mkdir -p "$TMPDIR/fakebin"
cat >"$TMPDIR/fakebin/systemd-run" <<'EOF'
#!/bin/bash
# SCOPE_READY (stage 5, error 0) on the report pipe, then stop for good.
printf '\x05\x00\x00\x00\x00\x00\x00\x00' >&3
kill -STOP $$
EOF
chmod +x "$TMPDIR/fakebin/systemd-run"
config "[Launcher]" "Scope=systemd-run"
PATH=$TMPDIR/fakebin:$PATH start_daemon --fresh-log
"$sesame" launch marker >"$TMPDIR/hang.out" 2>&1 &
client=$!
stalled() { local p; for p in $(cat /proc/"$daemon"/task/*/children); do [ "$(state_of "$p")" = T ] && echo "$p"; done; }
has_stalled() { [ -n "$(stalled)" ]; }
wait_until 5000 has_stalled
hung=$(stalled)
run timeout 10 "$sesame" status
check "an exec that hangs does not hold the event loop: another client is served" test "$rc" = 0
wait "$client"
status=$?
check "...the launch is refused at the exec limit" \
	eval 'test $status = 19 && grep -q "did not start within 5000 ms; stopped it" "$TMPDIR/hang.out"'
check "...and the child that hung is killed (and reaped), so it never runs after the refusal" wait_until 5000 reaped "$hung"
stop_daemon

# ---- 5. A held child that dies while the manager is making its scope
# stays an unreaped zombie until the manager has answered: its PID cannot
# be reused and moved into the scope.
config "[Launcher]" "Scope=dbus"
start_daemon --fresh-log
has_spare() { [ -n "$(spare_of "$daemon")" ]; }
wait_until 5000 has_spare
spare=$(spare_of "$daemon")
kill -STOP "${SESAME_TEST_MANAGER_PID:?}"
"$sesame" launch sleeper >"$TMPDIR/died.out" 2>&1 &
client=$!
wait_until 5000 spare_given "$spare"
kill -KILL "$spare"
"$sesame" status >/dev/null # the daemon has seen the death by now
check "a held child killed while the scope job is out is kept as a zombie" test "$(state_of "$spare")" = Z
kill -CONT "$SESAME_TEST_MANAGER_PID"
wait "$client"
status=$?
check "...the launch is answered SpawnFailed once the manager has answered" \
	eval 'test $status = 19 && grep -q "died before it was released" "$TMPDIR/died.out"'
check "...and then the zombie is reaped" wait_until 5000 reaped "$spare"
stop_daemon

# ---- 6. The scope has a limit of its own (ScopeTimeoutSec=): past it the
# app starts without a scope; it is not a failure.
config "[Launcher]" "ScopeTimeoutSec=1"
start_daemon --fresh-log
kill -STOP "$SESAME_TEST_MANAGER_PID"
run "$sesame" launch sleeper
kill -CONT "$SESAME_TEST_MANAGER_PID"
take_pid pid
check "ScopeTimeoutSec=1 with a manager that does not answer: started without a scope" \
	eval 'test "$rc" = 0 && grep -q "unit=- via_scope=false" <<<"$out" && kill -0 "$pid"'
check "...and the log says why" grep -q "systemd did not make the scope within 1000 ms" "$TMPDIR/daemon.log"
stop_daemon

# ---- 7. A client that pipelines requests without reading the replies
# holds its own socket, not the daemon's memory, and others are served.
config "[Launcher]"
for i in $(seq 1 600); do
	desktop_entry "org.example.Bulk$i" "true --with-some-arguments-to-make-the-entry-longer $i" \
		"GenericName=A generic name for entry $i" "Comment=Some text"
done
start_daemon --fresh-log
"$sesame" entries >/dev/null
"$call" '{"method":"Entries"}' >/dev/null
baseline=$(rss_kib "$daemon")
"$call" --pipeline 3000 --hold '{"method":"Entries"}' >"$TMPDIR/flood.out" 2>/dev/null &
flooder=$!
kill_at_exit "$flooder"
blocked() { grep -q sent "$TMPDIR/flood.out" || [ "$(cut -d' ' -f1 "/proc/$flooder/syscall" 2>/dev/null)" = 44 ]; }
wait_until 10000 blocked
peak=$baseline served=0
for _ in $(seq 1 20); do
	"$sesame" status >/dev/null && served=$((served + 1))
	r=$(rss_kib "$daemon")
	[ "$r" -gt "$peak" ] && peak=$r
done
flood_check="a client pipelining 3,000 Entries: the daemon grows by $((peak - baseline)) KiB (< 8 MiB)"
if grep -q __asan_init "$launcherd"; then
	# AddressSanitizer holds freed memory in quarantine: its RSS says
	# nothing about ours. make check's own build measures it.
	skip "$flood_check" "AddressSanitizer build"
else
	check "$flood_check" test $((peak - baseline)) -lt 8192
fi
check "...and other clients are served meanwhile" test "$served" = 20
kill -KILL "$flooder"
rm -f "$apps"/org.example.Bulk*.desktop
stop_daemon

# ---- 8. Every app holds one of the daemon's descriptors (a pidfd): the
# daemon raises its soft RLIMIT_NOFILE for itself, its apps keep the one it
# started with. And with descriptors exhausted it waits, not spins.
config "[Launcher]" "Scope=none"
start_daemon --fresh-log prlimit --nofile=1024:20000
seq 1 1500 | xargs -P 8 -I{} "$sesame" launch sleeper >"$TMPDIR/many.out" 2>&1
launched=$(grep -c "^pid=" "$TMPDIR/many.out")
kill_at_exit $(pids_in "$(cat "$TMPDIR/many.out")")
check "1,500 long-running apps launched with a soft limit of 1024 ($launched)" test "$launched" = 1500
run "$sesame" status --json
check "...and clients are still served, the daemon counting 1,500 children" \
	python3 -c 'import json,sys; assert json.loads(sys.argv[1])["children"] == 1500' "$out"
first=$(pid_in "$(cat "$TMPDIR/many.out")")
check "...while each app has the limit the daemon started with (1024)" \
	grep -qE "^Max open files +1024 +20000 " "/proc/$first/limits"
for p in $(pids_in "$(cat "$TMPDIR/many.out")"); do kill -KILL "$p"; done
no_children() { "$sesame" status --json | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)["children"] != 0)'; }
wait_until 20000 no_children
stop_daemon
start_daemon --fresh-log prlimit --nofile=40:40
silent_sockets 100
wait_until 5000 grep -q "cannot accept connections: Too many open files" "$TMPDIR/daemon.log"
cpu() { awk '{print $14 + $15}' "/proc/$daemon/stat"; }
before=$(cpu)
sleep 2 # a window to measure CPU time in, not a wait for something
ticks=$(( $(cpu) - before ))
check "descriptors exhausted: the daemon waits ($ticks of 200 ticks of CPU in 2 s)" test "$ticks" -lt 20
check "...and says so once" test "$(grep -c "cannot accept connections" "$TMPDIR/daemon.log")" = 1
kill -KILL "$silent"
check "...and accepts again once descriptors are free" wait_until 10000 serving
stop_daemon

# ---- 9. Silent connections take handshake slots of their own, not every
# client's; a refusal at the hard limit of established connections is
# "busy" to the CLI (its own exit status), never a key mismatch.
config "[Launcher]"
start_daemon --fresh-log
silent_sockets 64
run "$sesame" status --json
check "64 silent sockets: another client is served at once" \
	eval 'test "$rc" = 0 && python3 -c "import json,sys; assert json.loads(sys.argv[1])[\"connections\"] >= 65" "$out"'
kill -KILL "$silent"
"$call" --connections 512 >"$TMPDIR/held.out" 2>&1 &
holder=$!
kill_at_exit "$holder"
wait_until 20000 grep -q "^held" "$TMPDIR/held.out"
check "512 established connections are taken" grep -qx "held 512" "$TMPDIR/held.out"
run "$sesame" status
check "...the next client is told the launcher is busy (exit 23), after retrying" \
	eval 'test "$rc" = 23 && grep -q "the launcher is busy" <<<"$err" && ! grep -q "key" <<<"$err"'
notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
run "$sesame" launch --notify=always org.example.Cafe
check "...a launch then: the same (23), and a notification saying the launcher is busy" \
	eval 'test "$rc" = 23 && grep -q "the launcher is busy" "$notes"'
kill -KILL "$holder"
wait "$holder" 2>/dev/null
check "...and is served once connections close" wait_until 5000 serving

# ---- 10. A client that shuts down its sending side after the request
# still gets the reply.
run "$call" --half-close '{"method":"Launch","params":{"entry_id":"sleeper"}}'
take_pid pid <(python3 -c 'import json,sys; print("pid=%d unit" % json.loads(sys.argv[1])["pid"])' "$out" 2>/dev/null)
check "half-closed after its request: the reply still comes" \
	eval 'test "$rc" = 0 && grep -q "\"via_scope\":true" <<<"$out"'
stop_daemon

# ---- 11. Text that is not UTF-8 never costs a reply.
printf '[Desktop Entry]\nType=Application\nName=Caf\xe9\nExec=true\n' >"$apps/org.example.Cafe.desktop"
start_daemon --fresh-log
run timeout 20 "$sesame" entries
check "one file with Name=Caf\\xe9: sesame entries lists the others" \
	eval 'test "$rc" = 0 && grep -q "^sleeper	" <<<"$out"'
check "...the launcher logs the file and line" grep -q "org.example.Cafe.desktop:3: Name is not UTF-8 text; skipped" "$TMPDIR/daemon.log"
run timeout 20 "$sesame" entries --local
check "...and so does --local" eval 'test "$rc" = 0 && grep -q "^sleeper	" <<<"$out"'
run timeout 20 "$sesame" launch --dry-run org.example.Cafe
check "...a dry run of it is answered (EntryNotFound)" test "$rc" = 10
long=$(printf 'é%.0s' $(seq 1 2000))
run timeout 20 "$sesame" launch --json "$long"
check "an entry_id of 2,000 × é: EntryNotFound, its message cut at a character" python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["error"] == "EntryNotFound" and r["message"].startswith("no desktop entry matches"), r
assert "\ufffd" not in r["message"], r
' "$out"
# (After an odd and an even number of ASCII bytes: a cut in bytes falls
# inside a character for one of them.)
for lead in x xx; do
	run timeout 20 "$call" "{\"method\":\"$lead$long\"}"
	check "an unknown method of '$lead' + 2,000 × é: InvalidRequest, answered" \
		eval 'test "$rc" = 0 && grep -q "\"error\":\"InvalidRequest\"" <<<"$out"'
	run timeout 20 "$call" "{\"method\":\"Entries\",\"params\":{\"$lead$long\":1}}"
	check "an unknown field of '$lead' + 2,000 × é (jansson cuts its error text in bytes): answered" \
		eval 'test "$rc" = 0 && grep -q "\"error\":\"InvalidRequest\"" <<<"$out"'
done
rm "$apps/org.example.Cafe.desktop"
stop_daemon
run "$sesame" run --description "$(printf 'Caf\xe9')" -- true
check "a Description that is not UTF-8 does not cost the scope" \
	eval 'test "$rc" = 0 && grep -q "via_scope=true" <<<"$out"'

# ---- 12. Every file is read only if it is a regular file of a sane size,
# and opened without blocking.
mv "$conf" "$TMPDIR/conf.saved"
mkfifo "$conf"
run timeout 10 "$sesame" config check
check "a FIFO at launcher.conf: refused at once, not read" \
	eval 'test "$rc" = 1 && grep -q "launcher.conf: not a regular file" <<<"$out"'
rm "$conf"
truncate -s 300M "$TMPDIR/huge.conf"
maxrss=$(/usr/bin/python3 -c '
import resource, subprocess, sys
subprocess.run(sys.argv[1:], capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$sesame" config check "$TMPDIR/huge.conf")
run "$sesame" config check "$TMPDIR/huge.conf"
check "a 300 MB launcher.conf: refused by its size ($maxrss KiB at most in memory)" \
	eval 'test "$rc" = 1 && grep -q "larger than" <<<"$out" && test "$maxrss" -lt 20000'
rm -f "$TMPDIR/huge.conf"
mv "$TMPDIR/conf.saved" "$conf"
mkfifo "$apps/org.example.Fifo.desktop"
run timeout 10 "$sesame" entries --local
check "a FIFO among the desktop files: the scan goes on" eval 'test "$rc" = 0 && grep -q "^sleeper	" <<<"$out"'
rm "$apps/org.example.Fifo.desktop"
mv "$XDG_CONFIG_HOME/sesame/clients.conf" "$TMPDIR/clients.saved"
mkfifo "$XDG_CONFIG_HOME/sesame/clients.conf"
start_daemon --fresh-log
run timeout 10 "$sesame" status
check "a FIFO at clients.conf: the client is refused at once, the registry named broken" \
	eval 'test "$rc" = 21 && grep -q "registry is broken" <<<"$err"'
check "...and the log says which file" grep -q "clients.conf: not a regular file" "$TMPDIR/daemon.log"
rm "$XDG_CONFIG_HOME/sesame/clients.conf"
mv "$TMPDIR/clients.saved" "$XDG_CONFIG_HOME/sesame/clients.conf"
mv "$XDG_CONFIG_HOME/sesame/cli.key" "$TMPDIR/cli.key.saved"
mkfifo "$XDG_CONFIG_HOME/sesame/cli.key"
run timeout 10 "$sesame" status
check "a FIFO at the client's key: refused at once, naming the file (30: no key it can use)" \
	eval 'test "$rc" = 30 && grep -q "cli.key: not a regular file" <<<"$err"'
rm "$XDG_CONFIG_HOME/sesame/cli.key"
mv "$TMPDIR/cli.key.saved" "$XDG_CONFIG_HOME/sesame/cli.key"
stop_daemon

# ---- 16. One key has one entry: authorizing a known key under another
# name is refused, naming the client that has it.
run "$sesame" keys authorize other "$(cat "$XDG_CONFIG_HOME/sesame/cli.pub")" --clearance launch
check "keys authorize with a known key under a new name: refused, naming the client" \
	eval 'test "$rc" = 1 && grep -q "already authorized as .cli. (clearance secrets)" <<<"$err"'
check "...and clients.conf is unchanged" bash -c '! grep -q "Client other" "$1"' _ "$XDG_CONFIG_HOME/sesame/clients.conf"

# ---- 13. Every [Launcher] setting takes effect on reload.
printf '[Desktop Entry]\nType=Application\nName=Term\nExec=htop\nTerminal=true\n' >"$apps/org.example.Term.desktop"
config "[Launcher]" "Scope=none" "AllowEphemeralClients=yes" "[TrustProfile work]"
start_daemon --fresh-log
stranger=$TMPDIR/stranger
XDG_CONFIG_HOME=$stranger "$sesame" keys init >/dev/null
XDG_CONFIG_HOME=$stranger run "$sesame" status
check "reload: AllowEphemeralClients=yes at start admits an unknown key" test "$rc" = 0
config "[Launcher]" "Scope=dbus" "Slice=reloaded.slice" "DefaultProfile=work" "Terminal=myterm -e" \
	"ScopeTimeoutSec=1" "[TrustProfile work]"
refused() { XDG_CONFIG_HOME=$stranger "$sesame" status >/dev/null 2>&1; [ $? = 21 ]; }
check "reload: AllowEphemeralClients=no refuses the unknown key from then on" wait_until 5000 refused
run "$sesame" launch --dry-run --json org.example.Term
check "reload: DefaultProfile= and Terminal= apply" python3 -c '
import json, sys
p = json.loads(sys.argv[1])
assert p["profile"] == "work" and p["argv"][:3] == ["myterm", "-e", "htop"], p
' "$out"
run "$sesame" launch sleeper
take_pid pid
check "reload: Scope=none to dbus opens the bus, Slice= applies: the app is in its scope in reloaded.slice" \
	grep -qx "0::/reloaded.slice/app-open-sesame-sleeper-$pid.scope" "/proc/$pid/cgroup"
kill -STOP "$SESAME_TEST_MANAGER_PID"
run "$sesame" launch sleeper
kill -CONT "$SESAME_TEST_MANAGER_PID"
take_pid pid
check "reload: ScopeTimeoutSec= applies" \
	eval 'grep -q "via_scope=false" <<<"$out" && grep -q "within 1000 ms" "$TMPDIR/daemon.log"'
check "reload: nothing said to need a restart" bash -c '! grep -qi restart "$1"' _ "$TMPDIR/daemon.log"
stop_daemon
rm "$apps/org.example.Term.desktop"

# ---- 17. What the service manager sets for the launcher's own service
# never reaches an app, whatever the mode.
for mode in none systemd-run; do
	config "[Launcher]" "Scope=$mode"
	NOTIFY_SOCKET=/nonexistent INVOCATION_ID=0123456789abcdef JOURNAL_STREAM=1:2 MANAGERPID=1 \
		SYSTEMD_EXEC_PID=1 WATCHDOG_PID=1 WATCHDOG_USEC=10 RUNTIME_DIRECTORY=/nonexistent \
		MEMORY_PRESSURE_WATCH=/nonexistent start_daemon --fresh-log
	run "$sesame" launch sleeper
	take_pid pid
	# (systemd-run gives the app its scope's own INVOCATION_ID: not ours.)
	leaked=$(tr '\0' '\n' <"/proc/$pid/environ" | grep -xE "NOTIFY_SOCKET=.*|INVOCATION_ID=0123456789abcdef|JOURNAL_STREAM=.*|MANAGERPID=.*|SYSTEMD_EXEC_PID=.*|WATCHDOG_PID=.*|WATCHDOG_USEC=.*|RUNTIME_DIRECTORY=.*|MEMORY_PRESSURE_WATCH=.*")
	check "Scope=$mode: the service's own variables do not reach the app" test -z "$leaked"
	stop_daemon
done

# ---- 20. A connection whose credentials cannot be read (a peer in a PID
# namespace the daemon does not see) is refused, and said so plainly.
unshare --pid --fork --kill-child --mount-proc "$launcherd" 2>"$TMPDIR/ns.log" &
nsd=$!
kill_at_exit "$nsd"
wait_until 5000 grep -q "ready on" "$TMPDIR/ns.log"
"$sesame" status >/dev/null 2>&1
check "credentials that cannot be read: refused, logged as such" \
	wait_until 5000 grep -q "a connection was refused: its credentials cannot be read" "$TMPDIR/ns.log"
check "...with no made-up PID or UID" bash -c '! grep -q "connection from uid" "$1"' _ "$TMPDIR/ns.log"
# (unshare waits for the daemon, its child, which is what gets the signal.)
kill -TERM $(cat /proc/"$nsd"/task/*/children)
wait "$nsd" 2>/dev/null

done_testing
