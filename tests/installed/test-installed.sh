#!/bin/bash
# The installed package (not the build tree), in a private user manager
# (run it through tests/harness/user-manager with SESAME=/usr/bin/sesame):
# keys, the socket-activated launcher through the installed
# sesame-launcher.socket, a launch, a launch with a secret from a real
# gnome-keyring, sesame menu with fzf, sesame open through the installed
# xdg-open, the man pages and completions.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"

check "the commands are the installed ones" test "$sesame" = /usr/bin/sesame
xdg_dirs --home
desktop_entry org.example.Sleeper "sleep 300" Name=Sleeper
desktop_entry org.example.Calculator "sleep 301" Name=Calculator
desktop_entry org.example.Browser "sleep 302 %u" Name=Browser "MimeType=x-scheme-handler/https;"
printf '[Default Applications]\nx-scheme-handler/https=org.example.Browser.desktop;\n' >"$XDG_CONFIG_HOME/mimeapps.list"
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile dev]
Secret=installed-token
CONF

start_keyring
secret=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(16))')
printf '%s' "$secret" | secret-tool store --label=t sesame-profile default sesame-secret installed-token

run "$sesame" keys init
check "sesame keys init" test "$rc" = 0
# The session's environment, as a desktop session exports it to the manager.
systemctl --user set-environment XDG_CONFIG_HOME="$XDG_CONFIG_HOME" XDG_DATA_HOME="$XDG_DATA_HOME" XDG_DATA_DIRS="$XDG_DATA_DIRS"
# As README.Debian says; into the manager's own configuration ($HOME/.config).
run env -u XDG_CONFIG_HOME systemctl --user enable --now sesame-launcher.socket
check "systemctl --user enable --now sesame-launcher.socket (the installed unit)" \
	eval '[ "$rc" = 0 ] && [ "$(systemctl --user show -P FragmentPath sesame-launcher.socket)" = /usr/lib/systemd/user/sesame-launcher.socket ] &&
	[ -L "$HOME/.config/systemd/user/sockets.target.wants/sesame-launcher.socket" ]'

run "$sesame" launch org.example.Sleeper
take_pid pid
check "a launch: served by the socket-activated launcher, the app in its scope" \
	eval '[ "$rc" = 0 ] && grep -qx "0::/app.slice/app-open-sesame-org-example-Sleeper-$pid.scope" /proc/$pid/cgroup'
main=$(systemctl --user show -P MainPID sesame-launcher.service)
check "...the launcher is /usr/bin/sesame-launcherd, from the installed service" \
	eval '[ "$(readlink /proc/$main/exe)" = /usr/bin/sesame-launcherd ] && [ "$(systemctl --user show -P FragmentPath sesame-launcher.service)" = /usr/lib/systemd/user/sesame-launcher.service ]'
run "$sesame" launch org.example.Sleeper --tag dev
take_pid secret_pid
check "a launch with a secret from gnome-keyring: the app has it" \
	eval '[ "$rc" = 0 ] && [ "$(envvar "$secret_pid" INSTALLED_TOKEN)" = "$secret" ]'
run "$sesame" launch --service org.example.Sleeper
take_pid service_pid
check "a launch as a service: the installed helper hands it over" \
	eval '[ "$rc" = 0 ] && [ "$(systemctl --user show -P ExecStart "$(unit_in "$out")" | grep -o "path=[^ ]*")" = path=/usr/libexec/sesame/sesame-exec ]'
run "$sesame" menu --picker "fzf --filter 'calcul'"
take_pid menu_pid
check "sesame menu with fzf: its pick launched" eval '[ "$rc" = 0 ] && [ "$(tr "\0" " " </proc/$menu_pid/cmdline)" = "sleep 301 " ]'
check "sesame open's handler is installed, and valid (desktop-file-validate)" \
	desktop-file-validate /usr/share/applications/sesame-open.desktop
run env PATH="/usr/libexec/sesame/bin:$PATH" xdg-open https://example.org/installed
check "the installed xdg-open for PATH: the link opened by sesame open, the default browser in its scope" \
	eval '[ "$rc" = 0 ] && wait_until 5000 eval "\"\$sesame\" ps | grep -q org.example.Browser"'  || echo "# rc=$rc: $out $err"
run "$sesame" ps
check "sesame ps lists them" eval '[ "$rc" = 0 ] && [ "$(grep -c org.example <<<"$out")" -ge 4 ]'
check "the man pages are installed" eval 'for p in man1/sesame.1 man5/sesame-launcher.conf.5 man8/sesame-launcherd.8; do [ -f /usr/share/man/$p.gz ] || exit 1; done'
check "the completions are where bash, zsh and fish read them" \
	test -f /usr/share/bash-completion/completions/sesame -a -f /usr/share/zsh/vendor-completions/_sesame -a -f /usr/share/fish/vendor_completions.d/sesame.fish
run "$sesame" stop --all org.example.Sleeper
"$sesame" stop --all org.example.Browser >/dev/null 2>&1
"$sesame" stop org.example.Calculator >/dev/null 2>&1
env -u XDG_CONFIG_HOME systemctl --user disable --now sesame-launcher.socket sesame-launcher.service >/dev/null 2>&1
done_testing
