#!/bin/bash
# The shell completions, loaded in real bash, zsh and fish: each completes
# a tag of the configuration, a trust profile and an entry ID of the
# running launcher (contrib/completion).
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
completion=${SESAME_SOURCE:?}/contrib/completion
zsh_complete=$SESAME_SOURCE/tests/zsh-complete.zsh

xdg_dirs
desktop_entry org.example.Fiddle "sleep 300" Name=Fiddle
desktop_entry org.example.Foghorn "sleep 300" Name=Foghorn
cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[LaunchProfile work]
Environment=A=1
[LaunchProfile personal:mail]
Environment=B=2
[LaunchProfile broken]
NoSuchKey=1
CONF
"$sesame" keys init >/dev/null
start_daemon
# The scripts run `sesame`, as an installed one would be found.
bin=$TMPDIR/bin
mkdir -p "$bin"
ln -s "$sesame" "$bin/sesame"
export PATH=$bin:$PATH

lines() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
commands=$("$sesame" --help | sed -n '/^Commands:/,/^$/{s/^  \([a-z]*\) .*/\1/p}' | tr '\n' ' ')

# bash: the completion function, called as readline calls it.
bash_complete() {
	bash --norc --noprofile -c '
. "$1"
line=$2
read -ra COMP_WORDS <<<"$line"
[[ $line == *" " ]] && COMP_WORDS+=("")
COMP_LINE=$line COMP_POINT=${#line} COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_sesame
printf "%s\n" "${COMPREPLY[@]}"' _ "$completion/sesame.bash" "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
zsh_complete() {
	timeout 30 zsh -f "$zsh_complete" "$completion" "$1" | sort | tr '\n' ' ' | sed 's/ $//'
}
fish_complete() {
	fish --no-config -c 'source $argv[1]; complete -C"$argv[2]"' "$completion/sesame.fish" "$1" | cut -f1 |
		sort | tr '\n' ' ' | sed 's/ $//'
}

for shell in bash zsh fish; do
	run "${shell}_complete" "sesame launch --tag "
	check "$shell: --tag offers the tags that serve (not the one left out)" test "$out" = "personal:mail work"
	run "${shell}_complete" "sesame launch -t pe"
	check "$shell: -t completes a tag from its start" test "$out" = "personal:mail"
	run "${shell}_complete" "sesame launch --profile "
	check "$shell: --profile offers the trust profiles" test "$out" = "default personal"
	run "${shell}_complete" "sesame launch org.example.F"
	check "$shell: an entry ID from the running launcher" test "$out" = "org.example.Fiddle org.example.Foghorn"
	run "${shell}_complete" "sesame conf"
	check "$shell: the commands" test "$out" = "config"
	run "${shell}_complete" "sesame config show "
	check "$shell: config show offers profiles" eval '[[ "$out" == *work* && "$out" == *personal:mail* ]]'
	# Every command sesame --help lists, and the launch options of its
	# --help, so that a new one is not forgotten here.
	run "${shell}_complete" "sesame "
	check "$shell: every command of sesame --help" \
		test "$(lines $out | tr ' ' '\n' | grep -v -- '^-' | grep -vx help | sort | tr '\n' ' ')" = "$(lines $commands | tr ' ' '\n' | sort | tr '\n' ' ')"
	run "${shell}_complete" "sesame launch --s"
	check "$shell: launch's options starting --s: --service, --single" test "$(lines $out)" = "--service --single"
	run "${shell}_complete" "sesame launch --r"
	check "$shell: --raise" test "$(lines $out)" = "--raise"
	run "${shell}_complete" "sesame launch --w"
	check "$shell: --wait-start" test "$(lines $out)" = "--wait-start"
	run "${shell}_complete" "sesame open --"
	check "$shell: open's options, as its --help lists them" test "$(lines $out | tr ' ' '\n' | sort | tr '\n' ' ')" = \
		"$("$sesame" open --help | grep -o -- '--[a-z-]*' | grep -vx -- '--' | sort -u | tr '\n' ' ')"
	run "${shell}_complete" "sesame open --tag "
	check "$shell: open --tag offers the tags" test "$out" = "personal:mail work"
done

stop_daemon
done_testing
