#!/bin/bash
# KeePassXC 2.7.4 (Debian 12) as the Secret Service, headless
# (tests/keepassxc.sh): sesame secret set/list/rm checked with secret-tool,
# a launch with two secrets, a locked database, and a service that waits for
# its own unlock dialog before it answers a search.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../keepassxc.sh"
. "$(dirname "$0")/../lib/daemon.sh"

xdg_dirs --home
desktop_entry sleeper "sleep 300" Name=Sleeper
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[Launcher]
SecretTimeoutSec=2
[LaunchProfile dev]
Secret=github-token npm-token
# The database by its object path's name (its file name): stable whether
# it is open or locked, unlike its label.
[TrustProfile vault]
Collection=vault
[LaunchProfile vault:gh]
Secret=vault-token
[LaunchProfile proof]
Secret=proof-token-with-a-long-name-so-that-its-variable-lands-in-a-quiet-malloc-size-class
# A trust profile of its own, for secrets set and removed by hand (sesame
# secret refuses a profile the configuration does not know).
[TrustProfile work]
CONF

xserver=
at_exit '[ -n "$xserver" ] && kill "$xserver" 2>/dev/null'
at_exit keepassxc_stop
at_exit '[ -n "$kpx_bus_pid" ] && kill "$kpx_bus_pid" 2>/dev/null'
memscan=$(dirname "$0")/../memscan.py
tail_hex() { printf '%s' "${1:16}" | od -An -tx1 | tr -d ' \n'; }   # 24 bytes past malloc's chunk header
launch() { run "$sesame" launch --notify=never "$@"; take_pid pid; }

check "a KeePassXC database with an exposed group" keepassxc_make_db
keepassxc_config ConfirmDeleteItem=false ConfirmAccessItem=false UnlockBeforeSearch=false
check "KeePassXC serves org.freedesktop.secrets with the database open" keepassxc_start

# ---- the command line
run "$sesame" secret set github-token < <(printf gh-value)
looked_up() { [ "$(secret-tool lookup sesame-secret github-token 2>/dev/null)" = gh-value ]; }
check "secret set: stored (KeePassXC answers CreateItem with a prompt; it is followed)" \
	eval '[ "$rc" = 0 ] && wait_until 5000 looked_up'
printf 'npm-value' | "$sesame" secret set npm-token >/dev/null
printf 'work-value' | "$sesame" secret set --profile work corp-token >/dev/null
run "$sesame" secret list
check "secret list with no profile: every secret of sesame's (not an empty search)" \
	eval '[ "$(sort <<<"$out")" = "$(printf "default\tgithub-token\ndefault\tnpm-token\nwork\tcorp-token")" ]' || echo "# $out"
run "$sesame" secret rm --profile work corp-token
check "secret rm: gone for secret-tool too (the Delete prompt is followed)" \
	eval '[ "$rc" = 0 ] && ! secret-tool lookup sesame-secret corp-token >/dev/null 2>&1'

printf 'vault-value' | "$sesame" secret set --profile vault vault-token >/dev/null
proof=$(python3 -c 'import secrets; print(secrets.token_hex(20))')
printf '%s' "$proof" | "$sesame" secret set proof-token-with-a-long-name-so-that-its-variable-lands-in-a-quiet-malloc-size-class >/dev/null

# ---- launches
"$sesame" keys init >/dev/null
# Without MALLOC_PERTURB_: glibc would wipe freed memory itself and hide a
# missing wipe from the memory proof.
start_daemon env -u MALLOC_PERTURB_
launch sleeper --tag dev
check "a launch with two secrets from KeePassXC" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = gh-value ] && [ "$(envvar "$pid" NPM_TOKEN)" = npm-value ]' || echo "# $err"

launch sleeper --tag vault:gh
check "Collection=vault (the database's object path name) finds its secret" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" VAULT_TOKEN)" = vault-value ]'
launch sleeper --tag proof
check "the proof secret reached the child" \
	test "$(envvar "$pid" PROOF_TOKEN_WITH_A_LONG_NAME_SO_THAT_ITS_VARIABLE_LANDS_IN_A_QUIET_MALLOC_SIZE_CLASS)" = "$proof"
run python3 "$memscan" "$daemon" "$(tail_hex "$proof")"
check "...and after the launch it is nowhere in the daemon's memory (KeePassXC as the source)" test "$rc" = 0 || echo "# $out"

check "(the database locked through Service.Lock and its prompt)" keepassxc_lock
launch sleeper --tag dev
check "a locked database: VaultsLocked (15) naming the profile, not SecretNotFound" \
	eval '[ "$rc" = 15 ] && grep -q "vaults locked: default" <<<"$err"' || echo "# rc=$rc $err"
launch sleeper --tag vault:gh
check "...and by Collection=vault while locked (its label would now be the file name)" \
	eval '[ "$rc" = 15 ] && grep -q "vaults locked: vault" <<<"$err"'

run "$sesame" secret list
check "secret list of a locked database: no secret shown as present, no wait" test "$rc" = 0 -a -z "$out"
check "...and it says the locked one hides what it holds, not nothing" \
	eval 'grep -q "1 locked collection or item shows nothing of what it holds (an unlock prompt may be open); run: sesame unlock" <<<"$err"'

# sesame unlock through the launcher: KeePassXC shows its unlock dialog
# (offscreen here: nobody can answer it); the launcher dismisses it at
# UnlockTimeoutSec= and says so.
sed -i 's/^\[Launcher\]$/[Launcher]\nUnlockTimeoutSec=1/' "$XDG_CONFIG_HOME/sesame/launcher.conf"
wait_until 5000 grep -q "configuration reloaded" "$TMPDIR/daemon.log"
start=$(date +%s%N)
run timeout 20 "$sesame" unlock default
took=$((($(date +%s%N) - start) / 1000000))
check "sesame unlock, the prompt not answered: VaultsLocked (15) at UnlockTimeoutSec=, saying so (${took} ms)" \
	eval '[ "$rc" = 15 ] && grep -q "the unlock prompt was not answered within 1 s" <<<"$err" && [ "$took" -lt 5000 ]' || echo "# rc=$rc $err"
check "...and the database is still locked" kpx_closed

# ---- UnlockBeforeSearch=true: a search waits for the unlock dialog
keepassxc_stop
keepassxc_config ConfirmDeleteItem=false ConfirmAccessItem=false UnlockBeforeSearch=true
keepassxc_start
keepassxc_lock
start=$(date +%s%N)
launch sleeper --tag dev
took=$((($(date +%s%N) - start) / 1000000))
check "UnlockBeforeSearch=true, locked: VaultsLocked at the time limit, saying why (${took} ms)" \
	eval '[ "$rc" = 15 ] && grep -q "waiting for its unlock dialog" <<<"$err" && [ "$took" -lt 10000 ]' || echo "# rc=$rc $err"
start=$(date +%s%N)
run timeout 20 "$sesame" secret list --profile default
took=$((($(date +%s%N) - start) / 1000000))
check "...and secret list --profile does not wait for that dialog (${took} ms)" eval '[ "$rc" = 0 ] && [ "$took" -lt 3000 ]'
start=$(date +%s%N)
run timeout 20 "$sesame" secret rm github-token
took=$((($(date +%s%N) - start) / 1000000))
check "...nor secret rm, which says the vault is locked (${took} ms)" \
	eval '[ "$rc" = 1 ] && grep -q "some are locked; run: sesame unlock default" <<<"$err" && [ "$took" -lt 3000 ]' || echo "# rc=$rc $err"

# ConfirmAccessItem=true: KeePassXC asks, per client connection, before it
# hands out a secret. Its dialog is answered here: KeePassXC on Xvfb (xcb),
# "Allow" given with xdotool. The launcher's one connection is asked once.
keepassxc_stop
keepassxc_config ConfirmDeleteItem=false ConfirmAccessItem=true UnlockBeforeSearch=false
Xvfb :72 -nolisten tcp >"$TMPDIR/xvfb.log" 2>&1 &
xserver=$!
x_up() { xdpyinfo -display :72 >/dev/null 2>&1; }
wait_until 10000 x_up
KPX_DISPLAY=:72 keepassxc_start
# Time for a person (here xdotool) to answer.
reloads=$(grep -c "configuration reloaded" "$TMPDIR/daemon.log")
sed -i 's/^SecretTimeoutSec=2$/SecretTimeoutSec=30/' "$XDG_CONFIG_HOME/sesame/launcher.conf"
wait_until 5000 bash -c '[ "$(grep -c "configuration reloaded" "$0")" -gt "$1" ]' "$TMPDIR/daemon.log" "$reloads"
launch sleeper --tag dev
check "ConfirmAccessItem=true: to a client not allowed yet, the open database's items are locked (15)" test "$rc" = 15
# --unlock: the launcher unlocks those items on its own connection, which
# makes KeePassXC ask; "Allow" is given, and the launch tried again.
"$sesame" launch --unlock --notify=never sleeper --tag dev >"$TMPDIR/asked.out" 2>&1 &
asking=$!
asked() { DISPLAY=:72 xdotool search --name "Access Request" >/dev/null 2>&1; }
check "...launch --unlock: KeePassXC asks (its Access Request dialog)" wait_until 10000 asked
DISPLAY=:72 xdotool key --window "$(DISPLAY=:72 xdotool search --name "Access Request" | head -1)" Return
wait "$asking"
rc=$?
take_pid pid "$TMPDIR/asked.out"
check "...allowed: the launch gets its secrets" eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" GITHUB_TOKEN)" = gh-value ]'
launch sleeper --tag dev
check "...and the next launch needs no one (the grant is the launcher's connection's)" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$pid" NPM_TOKEN)" = npm-value ] && ! asked'
kill "$xserver" 2>/dev/null
xserver=

check "the daemon served it all" eval '"$sesame" status >/dev/null'
done_testing
