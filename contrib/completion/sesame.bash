# bash completion for sesame(1): commands, options, and from the user's own
# setup the tags and trust profiles (sesame config list --names), entry IDs
# (sesame entries) and running apps (sesame ps).

# What --tag (tag) or --profile (trust) takes.
_sesame_names() {
	sesame config list --names 2>/dev/null | sed -n "s/^$1 //p"
}

# --tag/-t and --profile, for launch and menu: 0 when it completed.
_sesame_profiles() {
	case $prev in
	--tag|-t) COMPREPLY=($(compgen -W "$(_sesame_names tag)" -- "$cur")) ;;
	--profile) COMPREPLY=($(compgen -W "$(_sesame_names trust)" -- "$cur")) ;;
	*) return 1 ;;
	esac
}

_sesame() {
	local cur prev cmd
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=${COMP_WORDS[1]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "config doctor entries focus help history keys launch logs menu open ps restart run search secret status stop unlock windows --help --version" -- "$cur"))
		return
	fi
	_sesame_profiles && return
	case $cmd in
	launch)
		case $prev in
		--activation-token|--action) return ;;
		esac
		if [[ $cur == --notify=* ]]; then
			COMPREPLY=($(compgen -W "--notify=auto --notify=always --notify=never" -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--profile --tag --action --command --dry-run --json --activation-token --notify= --unlock --single --service --raise --wait-start --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(sesame entries --actions 2>/dev/null | cut -f1)" -- "$cur"))
		fi ;;
	run)
		case $prev in
		--scope) COMPREPLY=($(compgen -W "dbus systemd-run none" -- "$cur")); return ;;
		--cwd) COMPREPLY=($(compgen -d -- "$cur")); return ;;
		esac
		COMPREPLY=($(compgen -W "--id --env --cwd --scope --slice --description --wait --json --help" -- "$cur")) ;;
	entries) COMPREPLY=($(compgen -W "--json --actions --all --local --help" -- "$cur")) ;;
	open)
		case $prev in
		-t|--tag) COMPREPLY=($(compgen -W "$(_sesame_names tag)" -- "$cur")); return ;;
		--profile) COMPREPLY=($(compgen -W "$(_sesame_names trust)" -- "$cur")); return ;;
		-e|--entry) COMPREPLY=($(compgen -W "$(sesame entries --all 2>/dev/null | cut -f1)" -- "$cur")); return ;;
		--notify) COMPREPLY=($(compgen -W "auto always never" -- "$cur")); return ;;
		--picker|--action) return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--tag --profile --entry --action --ask --picker --dry-run --json --notify --set-default --unset-default --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	search) COMPREPLY=($(compgen -W "--json --limit --actions --help" -- "$cur")) ;;
	menu)
		case $prev in
		--picker) return ;;
		esac
		COMPREPLY=($(compgen -W "--picker --tag --profile --dry-run --help" -- "$cur")) ;;
	history)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "forget clear --json --help" -- "$cur"))
		elif [ "$prev" = forget ]; then
			COMPREPLY=($(compgen -W "$(sesame history --json 2>/dev/null | python3 -c 'import json,sys; print(" ".join(u["entry_id"] for u in json.load(sys.stdin)["history"]))' 2>/dev/null)" -- "$cur"))
		fi ;;
	status|ps|doctor|windows) COMPREPLY=($(compgen -W "--json --help" -- "$cur")) ;;
	logs)
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--follow --lines --since --json --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(sesame entries 2>/dev/null | cut -f1)" -- "$cur"))
		fi ;;
	stop|restart|focus)
		case $prev in
		--signal) COMPREPLY=($(compgen -W "TERM HUP INT KILL USR1 USR2" -- "$cur")); return ;;
		esac
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--signal --all --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(sesame ps 2>/dev/null | awk 'NR > 1 { print $1; print $NF }')" -- "$cur"))
		fi ;;
	keys)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "init list authorize revoke --help" -- "$cur"))
		elif [ "$prev" = --clearance ]; then
			COMPREPLY=($(compgen -W "launch secrets" -- "$cur"))
		fi ;;
	secret)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "set list rm --help" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--profile --label --help" -- "$cur"))
		fi ;;
	unlock) COMPREPLY=($(compgen -W "--help" -- "$cur")) ;;
	config)
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "check list show --help" -- "$cur"))
		elif [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--json --names" -- "$cur"))
		elif [ "${COMP_WORDS[2]}" = show ] && [ "$COMP_CWORD" -eq 3 ]; then
			COMPREPLY=($(compgen -W "$(_sesame_names tag) $(_sesame_names trust)" -- "$cur"))
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	help) COMPREPLY=($(compgen -W "config doctor entries focus history keys launch logs menu open ps restart run search secret status stop unlock windows" -- "$cur")) ;;
	esac
}
complete -F _sesame sesame
