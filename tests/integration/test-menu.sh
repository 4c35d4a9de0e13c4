#!/bin/bash
# sesame menu through the daemon in a private user manager, on the search
# fixture (tests/data/search): fzf --filter (a real picker, without a
# terminal), pickers that print a line of the list, typed text, nothing
# (cancelled), or fail; names two entries share; the picker chosen from
# Picker= and from what is installed. (fuzzel --dmenu in a headless sway:
# tests/integration/test-picker.sh.)
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
fixture=$(cd "$(dirname "$0")/../data/search" && pwd)

# A second data directory: one more entry named "Web", as GNOME's browser is.
xdg_dirs "$fixture" "$TMPDIR/more"
export XDG_STATE_HOME=$TMPDIR/state LANG=C.UTF-8
mkdir -p "$TMPDIR/bin" "$TMPDIR/more/applications"
printf '[Desktop Entry]\nType=Application\nName=Web\nExec=webby\n' >"$TMPDIR/more/applications/org.example.Webby.desktop"
printf '[LaunchProfile dev]\nEnvironment=GREETING=hello\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"
for p in eog gimp-2.10 gnome-calculator epiphany webby; do
	printf '#!/bin/sh\necho "$0 $GREETING" >>%s/ran\n' "$TMPDIR" >"$TMPDIR/bin/$p"
	chmod +x "$TMPDIR/bin/$p"
done
: >"$TMPDIR/ran"
# Visual Studio Code's, with its arguments: which of its Execs ran.
printf '#!/bin/sh\necho "$0 $*" >>%s/ran\n' "$TMPDIR" >"$TMPDIR/bin/code"
chmod +x "$TMPDIR/bin/code"
provide_programs "$fixture" "$TMPDIR/more"
systemctl --user set-environment PATH="$TMPDIR/bin:/usr/bin:/bin"

"$sesame" keys init >/dev/null
start_daemon

ran() { wait_until 3000 grep -q "^$TMPDIR/bin/$1 $2\$" "$TMPDIR/ran"; }
launches() { "$sesame" history --json | /usr/bin/python3 -c 'import json,sys; print(sum(u["count"] for u in json.load(sys.stdin)["history"]))'; }

run "$sesame" menu --picker "fzf --filter 'calculator'" --tag dev
check "fzf --filter: its first line launched, with the tags" eval '[ "$rc" = 0 ] && ran gnome-calculator hello'
check "...printed as sesame launch prints it" grep -Eq '^pid=[0-9]+ unit=app-open-sesame-org-gnome-Calculator-[0-9]+\.scope via_scope=true$' <<<"$out"

run "$sesame" menu --picker "fzf --filter 'visual studio new'"
check "fzf --filter on an action's line: the action launches" eval '[ "$rc" = 0 ] && ran code --new-window'

# Launched twice: first, whatever second the others were launched in.
"$sesame" launch eog >/dev/null
"$sesame" launch eog >/dev/null
run "$sesame" menu --picker "cat >$TMPDIR/list; head -1 $TMPDIR/list"
check "the list: most used first (the most launched, then the ones launched once)" \
	eval '[ "$rc" = 0 ] && [ "$(head -1 "$TMPDIR/list")" = "Image Viewer" ] && ran eog "" &&
	[ "$(sed -n 2,3p "$TMPDIR/list" | sort | tr "\n" /)" = "Calculator/Visual Studio Code — New Empty Window/" ]'
check "...then by name, actions as 'Name — Action'" \
	eval 'grep -qx "Firefox ESR — New Private Window" "$TMPDIR/list" && tail -n +4 "$TMPDIR/list" | LC_ALL=C sort -fc'
check "...no NoDisplay entry" eval '! grep -q "Document Previewer" "$TMPDIR/list"'
check "...names two entries share get their ID" \
	eval 'grep -qx "Web (org.gnome.Epiphany)" "$TMPDIR/list" && grep -qx "Web (org.example.Webby)" "$TMPDIR/list" && ! grep -qx Web "$TMPDIR/list"'
run "$sesame" menu --picker "echo 'Web (org.example.Webby)'"
check "...and the one picked is launched" eval '[ "$rc" = 0 ] && ran webby ""'

n=$(launches)
run "$sesame" menu --picker "cat >/dev/null"
check "the picker prints nothing (cancelled): exit 0, nothing launched" \
	eval '[ "$rc" = 0 ] && [ -z "$out$err" ] && [ "$(launches)" = "$n" ]'
run "$sesame" menu --picker "cat >/dev/null; exit 1"
check "...also when it exits 1, as dmenu does on Escape" eval '[ "$rc" = 0 ] && [ "$(launches)" = "$n" ]'
run "$sesame" menu --picker "echo gimp"
check "typed text, not in the list: searched, the best match launched" eval '[ "$rc" = 0 ] && ran gimp-2.10 ""'
run "$sesame" menu --picker "echo zzqqxxjj"
check "typed text that matches nothing: exit 3, said" eval '[ "$rc" = 3 ] && grep -q "no app matches .zzqqxxjj." <<<"$err"'
run "$sesame" menu --picker "$TMPDIR/no-such-picker"
check "a picker that is not there: exit 4, said" eval '[ "$rc" = 4 ] && grep -q "was not found" <<<"$err"'
run "$sesame" menu --picker "exec 0<&-; echo Web\ \(org.gnome.Epiphany\)"
check "a picker that never reads its list still works" eval '[ "$rc" = 0 ] && ran epiphany ""'
run "$sesame" menu --picker "echo Calculator" --dry-run
check "--dry-run: the plan of the pick, nothing launched" eval '[ "$rc" = 0 ] && grep -q "gnome-calculator" <<<"$out"'

printf '[Launcher]\nPicker=echo Image Viewer\n' >"$XDG_CONFIG_HOME/sesame/launcher.conf"
: >"$TMPDIR/ran"
run "$sesame" menu
check "Picker= in launcher.conf is the picker without --picker" eval '[ "$rc" = 0 ] && ran eog ""'
: >"$XDG_CONFIG_HOME/sesame/launcher.conf"
# On a terminal with no display, fzf is the picker (on a pseudo-terminal
# from script(1); fzf's own --filter, from FZF_DEFAULT_OPTS, picks).
: >"$TMPDIR/ran"
run env -u WAYLAND_DISPLAY -u DISPLAY FZF_DEFAULT_OPTS=--filter=calculator script -qec "$sesame menu" /dev/null
check "no display, on a terminal: fzf is the picker" eval '[ "$rc" = 0 ] && ran gnome-calculator ""'
run env -u WAYLAND_DISPLAY -u DISPLAY PATH=/nonexistent "$sesame" menu </dev/null
check "no picker to be found: exit 4, naming the ones looked for" eval '[ "$rc" = 4 ] && grep -q "fuzzel, wofi, rofi, bemenu, tofi, or fzf" <<<"$err"'

# Icons: rofi's dmenu extension (NAME NUL "icon" 0x1f ICON), read back by
# rofi's own parsing (tests/rofi-dmenu-parse.py, from rofi's source).
parser=$(dirname "$0")/../rofi-dmenu-parse.py
run "$sesame" menu --picker "/usr/bin/python3 $parser $TMPDIR/rofi.json" --icons=always
check "--icons=always: rofi's parser reads every name and the entry's icon" /usr/bin/python3 -c '
import json, sys, glob, configparser
rows = json.load(open(sys.argv[1]))
assert rows, rows
calc = [r for r in rows if r["entry"] == "Calculator"]
assert calc and calc[0]["icon"] == "org.gnome.Calculator", calc
assert all(not r["unknown"] for r in rows), rows
names = {r["entry"] for r in rows}
# each entry of the fixture with an Icon= has it on its line
for f in glob.glob(sys.argv[2] + "/applications/*.desktop"):
    k = configparser.RawConfigParser(strict=False, interpolation=None); k.read(f)
    d = k["Desktop Entry"]
    if d.get("NoDisplay") == "true" or d.get("Hidden") == "true": continue
    mine = [r for r in rows if r["entry"] == d["Name"] or r["entry"].startswith(d["Name"] + " (")]
    if not mine: continue
    assert any(r["icon"] == d.get("Icon") for r in mine), (f, mine)
' "$TMPDIR/rofi.json" "$fixture"
run "$sesame" menu --picker "/usr/bin/python3 $parser $TMPDIR/rofi.json" --icons=never
check "--icons=never: no icon sent" /usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))
assert rows and all(r["icon"] is None for r in rows), rows[:3]
' "$TMPDIR/rofi.json"
run "$sesame" menu --picker "cat >$TMPDIR/list"
has_nul() { /usr/bin/python3 -c 'import sys; sys.exit(0 if b"\0" in open(sys.argv[1], "rb").read() else 1)' "$1"; }
check "--icons=auto with a picker not known to read them: plain lines" eval '[ "$rc" = 0 ] && ! has_nul "$TMPDIR/list" && grep -qx Calculator "$TMPDIR/list"'
run "$sesame" menu --picker "cat >$TMPDIR/list" --icons=always
check "...and with --icons=always, the NUL and icon are there (this check can tell)" has_nul "$TMPDIR/list"
mkdir -p "$TMPDIR/fakebin"
printf '#!/bin/sh\nexec /usr/bin/python3 %s %s/auto.json\n' "$parser" "$TMPDIR" >"$TMPDIR/fakebin/rofi"
chmod +x "$TMPDIR/fakebin/rofi"
run "$sesame" menu --picker "$TMPDIR/fakebin/rofi -dmenu"
check "--icons=auto with rofi: icons sent" eval '[ "$rc" = 0 ] && grep -q org.gnome.Calculator "$TMPDIR/auto.json"'
run "$sesame" menu --icons=sometimes --picker cat
check "--icons takes auto, always or never" eval '[ "$rc" = 2 ] && grep -q "auto, always or never" <<<"$err"'

check "the launcher serves on" eval '"$sesame" status >/dev/null'
done_testing
