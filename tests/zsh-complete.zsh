# Completes a command line in a real interactive zsh, run in a pseudo
# terminal (zsh/zpty), and prints each candidate that compadd was given,
# one per line: the way zsh itself offers them, with nothing stubbed.
#
#   zsh -f zsh-complete.zsh FPATH_DIR "COMMAND LINE"
zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1=''; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z 'comppostfuncs=(_capture_end); _capture_end() { print -r -- "<<E""ND>>"; }'
zpty -w z 'compadd() { builtin compadd -O __hits "$@"; print -rl -- "HIT:"${^__hits}; builtin compadd "$@"; }'
zpty -w z "bindkey '^I' complete-word"
zpty -w z "$2"$'\t'
out=
while zpty -r z line; do
	out+=$line
	[[ $line == *'<<END>>'* ]] && break
done
print -r -- "$out" | tr -d '\r' | grep -o 'HIT:[^ "]*' | grep -v '^HIT:$' | sed 's/^HIT://' | sort -u
zpty -d z
