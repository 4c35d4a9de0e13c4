#!/bin/bash
# Secrets through the daemon, against a real gnome-keyring on the harness's
# private session bus: values reach the child and nothing else, denials are
# batched, and no value stays in the daemon's memory.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../bare-bus.sh"
. "$(dirname "$0")/../spare.sh"
. "$(dirname "$0")/../lib/daemon.sh"
memscan=$(dirname "$0")/../memscan.py

xdg_dirs --home
desktop_entry sleeper "sleep 300" Name=Sleeper
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[Launcher]
SecretTimeoutSec=1.5
[LaunchProfile dev]
Secret=github-token
[LaunchProfile proof]
Secret=proof-token-with-a-long-name-so-that-its-variable-lands-in-a-quiet-malloc-size-class
[LaunchProfile binary]
Secret=binary-token
[LaunchProfile missing]
Secret=nope another
[LaunchProfile work:missing-one]
Secret=solo
[LaunchProfile preload]
Secret=ld-preload
[LaunchProfile work:gh]
Secret=github-token
[LaunchProfile work:corp]
Secret=corp-token
# gnome-keyring's login collection: alias "login", path .../collection/login,
# label "Login". The CLI and the daemon must take both the same way.
[TrustProfile labelled]
Collection=Login
[LaunchProfile labelled:gh]
Secret=labelled-token
[TrustProfile aliased]
Collection=login
[LaunchProfile aliased:gh]
Secret=aliased-token
[TrustProfile nowhere]
Collection=No such vault
[LaunchProfile nowhere:gh]
Secret=github-token
CONF

# Prompts (sesame launch --unlock, below) are answered by gcr's mock
# prompter: the password, two dismissals, the password twice more.
coproc PROMPTER { exec /usr/bin/python3 "$(dirname "$0")/../prompter.py" testpass cancel cancel testpass testpass; }
read -r prompter_name <&"${PROMPTER[0]}"
echo -n testpass | GNOME_KEYRING_TEST_PROMPTER=$prompter_name \
	gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1
service_up() { busctl --user status org.freedesktop.secrets >/dev/null 2>&1; }
wait_until 10000 service_up
keyring=$(busctl --user status org.freedesktop.secrets 2>/dev/null | sed -n 's/^PID=//p')
# The apps started, in order (the burst below counts its own).
started=()
at_exit '[ -n "$keyring" ] && kill -CONT "$keyring" 2>/dev/null && kill "$keyring" 2>/dev/null'
at_exit 'for p in "${started[@]}"; do kill -KILL "$p" 2>/dev/null; done'
at_exit '[ -n "${bare_pid:-}" ] && kill "$bare_pid" 2>/dev/null'
at_exit '[ -n "${PROMPTER_PID:-}" ] && kill "$PROMPTER_PID" 2>/dev/null'

# Values stored by another client (secret-tool), so reading is tested on
# its own.
printf '%s' 'default-value' | secret-tool store --label=a sesame-profile default sesame-secret github-token
printf '%s' 'work-value' | secret-tool store --label=b sesame-profile work sesame-secret github-token
proof=$(python3 -c 'import secrets; print(secrets.token_hex(20))')   # 40 random characters
# The memory proof must see a copy that was freed without being wiped, so
# the strings that hold the values are made long enough (a long variable
# name, a padded invalid value) to land in malloc size classes that the
# daemon's other work does not recycle at once.
printf '%s' "$proof" | secret-tool store --label=c sesame-profile default sesame-secret \
	proof-token-with-a-long-name-so-that-its-variable-lands-in-a-quiet-malloc-size-class
marker=$(python3 -c 'import secrets; print(secrets.token_hex(20))')
printf '%s%0100d\xff' "$marker" 0 | secret-tool store --label=d sesame-profile default sesame-secret binary-token
tail_hex() { printf '%s' "${1:16}" | od -An -tx1 | tr -d ' \n'; }   # 24 bytes past malloc's chunk header

"$sesame" keys init >/dev/null
# Without MALLOC_PERTURB_ (which meson sets): glibc would then overwrite
# freed memory itself and hide a missing wipe from the memory proof.
start_daemon --fresh-log env -u MALLOC_PERTURB_

launch() { run "$sesame" launch "$@"; pid=$(pid_in "$out"); [ -n "$pid" ] && started+=("$pid"); }

launch sleeper --tag dev
check "a stored secret reaches the child as GITHUB_TOKEN" test "$rc" = 0 -a "$(envvar "$pid" GITHUB_TOKEN)" = default-value
launch sleeper --tag work:gh
check "the same name in another trust profile is another secret" test "$(envvar "$pid" GITHUB_TOKEN)" = work-value
check "the session negotiated dh-ietf1024-sha256-aes128-cbc-pkcs7" \
	grep -q "secret_count=1 client=cli secret_session=dh-ietf1024-sha256-aes128-cbc-pkcs7" "$TMPDIR/daemon.log"
check "no value in the daemon's log" bash -c '! grep -q "default-value\|work-value" "$1"' _ "$TMPDIR/daemon.log"

# Collection= means the same to `sesame secret` and to a launch: an alias,
# else an object path's name, else a label.
printf 'by-label' | "$sesame" secret set --profile labelled labelled-token >/dev/null
printf 'by-alias' | "$sesame" secret set --profile aliased aliased-token >/dev/null
launch sleeper --tag labelled:gh
check "Collection=Login (a label): stored by the CLI, found by the launch" \
	test "$rc" = 0 -a "$(envvar "$pid" LABELLED_TOKEN)" = by-label
launch sleeper --tag aliased:gh
check "Collection=login (an alias): the same" test "$rc" = 0 -a "$(envvar "$pid" ALIASED_TOKEN)" = by-alias
items_of() { busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
	SearchItems "a{ss}" 1 sesame-profile "$1"; }
check "...both stored in the login collection" \
	eval 'grep -q "^aoao 1 \"/org/freedesktop/secrets/collection/login/" <<<"$(items_of labelled)" &&
		grep -q "^aoao 1 \"/org/freedesktop/secrets/collection/login/" <<<"$(items_of aliased)"'
launch sleeper --tag nowhere:gh
check "a Collection= that names nothing: refused, naming it (17)" \
	bash -c '[ $1 = 17 ] && grep -q "no collection .No such vault." <<<"$2"' _ "$rc" "$err"
run "$sesame" secret set --profile nowhere x <<<"v"
check "...and sesame secret says the same" \
	bash -c '[ $1 = 1 ] && grep -q "no Secret Service collection is called .No such vault." <<<"$2"' _ "$rc" "$err"

launch sleeper --tag missing
check "missing secrets: SecretNotFound with the exact count, naming each and its profile" \
	bash -c '[ $1 = 16 ] && grep -q "2 secrets are not stored: nope (trust profile default), another (trust profile default); store each: sesame secret set" <<<"$2"' _ "$rc" "$err"
launch sleeper --tag missing --json
check "...in JSON too: missing_count and each name and profile" /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.argv[1])
assert r["missing_count"] == 2 and r["missing"] == [{"name": "nope", "profile": "default"}, {"name": "another", "profile": "default"}], r
' "$out"
launch sleeper --tag work:missing-one
check "one missing secret: the command that stores it, with its trust profile" \
	bash -c '[ $1 = 16 ] && grep -q "secret solo (trust profile work) is not stored; store it: sesame secret set --profile work solo" <<<"$2"' _ "$rc" "$err"
launch sleeper --tag preload
check "a secret named for LD_PRELOAD is refused" test "$rc" = 13
launch sleeper --tag binary
check "a value that is not UTF-8: SecretInvalid naming the secret" \
	bash -c '[ $1 = 22 ] && grep -q "binary-token" <<<"$2"' _ "$rc" "$err"

# The memory proof: a 40-byte random secret launched, then searched for in
# every readable mapping of the daemon.
launch sleeper --tag proof
check "the proof secret reached the child" \
	test "$(envvar "$pid" PROOF_TOKEN_WITH_A_LONG_NAME_SO_THAT_ITS_VARIABLE_LANDS_IN_A_QUIET_MALLOC_SIZE_CLASS)" = "$proof"
run python3 "$memscan" "$daemon" "$(tail_hex "$proof")"
check "after the launch, the secret is nowhere in the daemon's memory" test "$rc" = 0 || echo "# $out"
run python3 "$memscan" "$daemon" "$(tail_hex "$marker")"
check "after the invalid-UTF-8 failure, that value is nowhere in it either" test "$rc" = 0 || echo "# $out"

# The same while the launch is still in flight: with the user manager
# stopped, the daemon holds the launch (and its environment map, not yet
# freed) waiting for StartTransientUnit; the values must already be zero,
# as the child has its copy from the moment it was started: the spare,
# once it has read the launch from its pipe and waits for the release.
has_spare() { [ -n "$(spare_of "$daemon")" ]; }
wait_until 5000 has_spare
spare=$(spare_of "$daemon")
kill -STOP "${SESAME_TEST_MANAGER_PID:?}"
"$sesame" launch sleeper --tag proof >"$TMPDIR/held.out" 2>&1 &
held=$!
check "with the manager stopped, the launch reaches the spare" wait_until 5000 spare_given "$spare"
run python3 "$memscan" "$daemon" "$(tail_hex "$proof")"
kill -CONT "$SESAME_TEST_MANAGER_PID"
wait "$held"
check "while the launch is in flight, the environment map is already wiped" test "$rc" = 0 || echo "# $out"

# Locked: every locked profile at once, even with secrets missing too.
busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
	Lock ao 1 /org/freedesktop/secrets/collection/login >/dev/null
launch --json sleeper --tag dev --tag work:gh --tag missing
check "locked vaults win, all of them listed" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["error"] == "VaultsLocked" and d["locked_profiles"] == ["default", "work"], d
' "$out"
launch sleeper --tag dev --tag work:gh
check "...and the CLI says how to unlock them all" \
	bash -c '[ $1 = 15 ] && grep -q "vaults locked: default, work — run: sesame unlock default work" <<<"$2"' _ "$rc" "$err"
launch sleeper --tag proof
run python3 "$memscan" "$daemon" "$(tail_hex "$proof")"
check "after a refused launch (locked vault), no trace of the secret" test "$rc" = 0 || echo "# $out"

# --unlock: the locked profiles' collections are unlocked through the
# service's own prompt (answered with the password), and the launch is
# tried once more.
locked() { [ "$(busctl --user get-property org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
	org.freedesktop.Secret.Collection Locked)" = "b true" ]; }
check "(the vault is locked)" locked
launch sleeper --tag dev --unlock --notify=never
check "--unlock: the prompt answered, the launch goes through" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = default-value ]'
check "...and the vault is unlocked" test "$(busctl --user get-property org.freedesktop.secrets \
	/org/freedesktop/secrets/collection/login org.freedesktop.Secret.Collection Locked)" = "b false"
busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
	Lock ao 1 /org/freedesktop/secrets/collection/login >/dev/null
# A session with a display (the mock prompter needs none; gcr-prompter does).
systemctl --user set-environment WAYLAND_DISPLAY=wayland-test
"$sesame" launch --dry-run sleeper >/dev/null 2>&1
launch sleeper --tag dev --unlock --notify=never
check "--unlock, the prompt dismissed: VaultsLocked (15), said as before, naming the dismissal" \
	eval '[ "$rc" = 15 ] && grep -q "vaults locked: default — run: sesame unlock default" <<<"$err" &&
		grep -q "the unlock prompt was dismissed" <<<"$err" && locked'
# Without a display in the manager, a prompt that ends dismissed never
# appeared: said so, not "dismissed".
systemctl --user unset-environment WAYLAND_DISPLAY
"$sesame" launch --dry-run sleeper >/dev/null 2>&1
launch sleeper --tag dev --unlock --notify=never
check "--unlock with no display in the user manager: the prompt could not be shown, not 'dismissed'" \
	eval '[ "$rc" = 15 ] && grep -q "the unlock prompt could not be shown: the user manager.s environment has no display" <<<"$err" &&
		! grep -q "dismissed" <<<"$err" && locked'
sed -i 's/^\[Launcher\]$/[Launcher]\nUnlockOnLaunch=yes/' "$XDG_CONFIG_HOME/sesame/launcher.conf"
launch sleeper --tag dev --notify=never
check "UnlockOnLaunch=yes (read by the client): the same without --unlock" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = default-value ]'
busctl --user call org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service \
	Lock ao 1 /org/freedesktop/secrets/collection/login >/dev/null
sed -i '/^UnlockOnLaunch=yes$/d' "$XDG_CONFIG_HOME/sesame/launcher.conf"
launch sleeper --tag dev --notify=never
check "without either: no prompt, VaultsLocked (15)" eval '[ "$rc" = 15 ] && locked'
run "$sesame" unlock default
check "(unlocked again for what follows)" eval '[ "$rc" = 0 ] && ! locked'

# A Secret Service that hangs: the answer comes at the time limit, and
# launches without secrets are served meanwhile.
kill -STOP "$keyring"
"$sesame" launch sleeper --tag dev >"$TMPDIR/stalled.out" 2>"$TMPDIR/stalled.err" &
stalled=$!
launch sleeper
check "a launch without secrets is served while the Secret Service hangs" test "$rc" = 0
wait "$stalled"
check "the stalled one gets SecretServiceUnavailable at the limit" \
	bash -c '[ $1 = 17 ] && grep -q "did not answer within 1500 ms" "$2"' _ $? "$TMPDIR/stalled.err"
kill -CONT "$keyring"

# Twenty clients at once, half of them needing secrets, while the Secret
# Service is stopped: the others complete, the stalled ones are answered at
# the limit, and afterwards the daemon has the fds it had, about the memory
# it had, and no zombies once the apps it started are gone.
fds() { ls "/proc/$daemon/fd" | wc -l; }
# Anonymous memory: what the daemon allocated, not the library pages a
# code path touched for the first time.
rss_kib() { sed -n 's/^RssAnon:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$daemon/status"; }
zombies() { local c n=0; for c in $(cat /proc/$daemon/task/*/children); do
	[ "$(awk '{print $3}' "/proc/$c/stat" 2>/dev/null)" = Z ] && n=$((n + 1)); done; echo $n; }
burst() {
	local i clients=()
	for i in $(seq 1 10); do
		"$sesame" launch sleeper --tag dev >"$TMPDIR/burst-s$i.out" 2>"$TMPDIR/burst-s$i.err" &
		clients+=($!)
		"$sesame" launch sleeper >"$TMPDIR/burst-p$i.out" 2>"$TMPDIR/burst-p$i.err" &
		clients+=($!)
	done
	wait "${clients[@]}"   # (not the daemon, also a job of this shell)
	for i in $(seq 1 10); do
		started+=($(pids_in "$(cat "$TMPDIR/burst-p$i.out" "$TMPDIR/burst-s$i.out")"))
	done
}
# A first round, the same as the measured one, so that the baseline
# includes the allocator's growth to its working size.
kill -STOP "$keyring"
burst
kill -CONT "$keyring"
fd_base=$(fds) rss_base=$(rss_kib)
first=${#started[@]}
kill -STOP "$keyring"
burst
kill -CONT "$keyring"
plain_ok=$(cat "$TMPDIR"/burst-p*.out | grep -c "^pid=[0-9]* unit=app-open-sesame-sleeper-")
stalled_ok=$(grep -l "did not answer within 1500 ms" "$TMPDIR"/burst-s*.err | wc -l)
check "20 concurrent clients, Secret Service stopped: the 10 without secrets were started" test "$plain_ok" = 10
check "...the 10 with secrets got SecretServiceUnavailable" test "$stalled_ok" = 10
rss_now=$(rss_kib)
rss_check="...its anonymous RSS is within 256 KiB of its baseline (${rss_base} KiB, now ${rss_now} KiB)"
if grep -q __asan_init "$launcherd"; then
	# AddressSanitizer holds freed memory in quarantine (up to 256 MiB):
	# its RSS says nothing about ours. make check's own build measures it.
	skip "$rss_check" "AddressSanitizer build"
else
	check "$rss_check" test $((rss_now - rss_base)) -le 256
fi
for p in "${started[@]:$first}"; do kill -TERM "$p" 2>/dev/null; done
# Reaped: none of them is a child any more (a zombie still is), and no
# other child is a zombie either.
no_zombies() {
	local p
	for p in "${started[@]:$first}"; do grep -qw "$p" /proc/$daemon/task/*/children && return 1; done
	[ "$(zombies)" = 0 ]
}
check "...and once the apps it started are gone, no zombies" wait_until 5000 no_zombies
# (Each live app holds a pidfd in the daemon: the baseline was taken with
# the first round's apps alive, so this compares like with like.)
fds_back() { [ "$(fds)" = "$fd_base" ]; }
check "...and its fd count is back at its baseline ($fd_base)" wait_until 5000 fds_back

# SecretTimeoutSec= applies on reload.
conf=$XDG_CONFIG_HOME/sesame/launcher.conf
sed -i 's/^SecretTimeoutSec=1.5$/SecretTimeoutSec=0.5/' "$conf"
reloads=$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")
reloaded() { [ "$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")" -gt "$reloads" ]; }
wait_until 5000 reloaded
kill -STOP "$keyring"
launch sleeper --tag dev
kill -CONT "$keyring"
check "reload: SecretTimeoutSec= applies to the next launch" \
	bash -c '[ $1 = 17 ] && grep -q "did not answer within 500 ms" <<<"$2"' _ "$rc" "$err"

# No Secret Service on the bus at all: the daemon, on a bus that cannot
# activate one, refuses launches with secrets and says why.
stop_daemon
start_bare_bus
DBUS_SESSION_BUS_ADDRESS=$bare_address start_daemon
launch sleeper --tag dev
check "no Secret Service on the bus: SecretServiceUnavailable, said so" \
	bash -c '[ $1 = 17 ] && grep -q "no Secret Service on the session bus" <<<"$2"' _ "$rc" "$err"
launch sleeper
check "...and launches without secrets still start" test "$rc" = 0
kill "$bare_pid"
bare_pid=

done_testing
