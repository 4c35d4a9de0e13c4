#!/bin/bash
# sesame open against GIO and against the launcher in the harness's
# private user manager: a table of targets whose type and default
# application sesame must choose as GIO does (tests/gio-open.py, Debian's
# python3-gi), in an XDG tree of the test's own (several mimeapps.list, a
# desktop-specific one, added and removed associations, a default that is
# not installed, aliases, sub-classes, magic, mimeinfo.cache from
# update-desktop-database, the machine's shared-mime-info); the rules of
# launcher.conf; the opened app in its own scope without the caller's
# environment, through the real xdg-open and sesame's drop-in; --set-default;
# --ask; no handler; bad input.
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
gio_open=$(cd "$(dirname "$0")/.." && pwd)/gio-open.py

xdg_dirs --home
# The system's data: our own applications, the machine's MIME database.
sys=$TMPDIR/sys
mkdir -p "$sys/applications" "$TMPDIR/etc-xdg" "$TMPDIR/bin" "$TMPDIR/files" "$TMPDIR/records"
ln -s /usr/share/mime "$sys/mime"
export XDG_DATA_DIRS=$sys XDG_CONFIG_DIRS=$TMPDIR/etc-xdg XDG_CURRENT_DESKTOP=Test:Other
export PATH=$TMPDIR/bin:$PATH

# Every handler is this recorder: its argv and environment, one file per run.
cat >"$TMPDIR/bin/recorder" <<'SH'
#!/bin/sh
f=@RECORDS@/$1.$$
{ printf 'argv'; shift; for a in "$@"; do printf ' %s' "$a"; done; printf '\n'; env; } >"$f.tmp"
mv "$f.tmp" "$f"
exec sleep 300
SH
sed -i "s|@RECORDS@|$TMPDIR/records|" "$TMPDIR/bin/recorder"
chmod +x "$TMPDIR/bin/recorder"
ln -s "$sesame" "$TMPDIR/bin/sesame"
app() { # app DIR ID EXEC-ARGS MIMETYPES [LINE...]
	local dir=$1 id=$2 args=$3 types=$4
	shift 4
	{
		printf '[Desktop Entry]\nType=Application\nName=%s\nExec=%s %s %s\n' "$id" "$TMPDIR/bin/recorder" "$id" "$args"
		[ -z "$types" ] || printf 'MimeType=%s\n' "$types"
		for l in "$@"; do printf '%s\n' "$l"; done
	} >"$dir/applications/$id.desktop"
}
user=$XDG_DATA_HOME
app "$user" org.test.Editor %F 'text/plain;text/x-csrc;'
app "$user" org.test.Ide %f ''
app "$user" org.test.Viewer %u 'image/png;image/gif;image/jpeg;'
app "$user" org.test.Paint %F 'image/png;'
app "$user" org.test.Browser %u 'text/html;x-scheme-handler/http;x-scheme-handler/https;'
app "$user" org.test.Browser2 %U 'text/html;'
app "$user" org.test.PdfReader %f 'application/pdf;'
app "$user" org.test.Mail %u 'x-scheme-handler/mailto;'
app "$user" org.test.Custom %u 'x-scheme-handler/sesame-test;'
app "$user" org.test.Term %f 'text/x-log;' Terminal=true
app "$sys" org.test.Player %U 'audio/mpeg;video/mp4;'
app "$sys" org.test.Archiver %F 'application/zip;application/x-compressed-tar;'
app "$sys" org.test.Files %U 'inode/directory;'
app "$sys" org.test.Json %f 'application/json;'
# A handler whose program is not installed: GIO passes it over.
printf '[Desktop Entry]\nType=Application\nName=NoProg\nExec=no-such-program-here %%f\nMimeType=text/markdown;\n' \
	>"$sys/applications/org.test.NoProg.desktop"
# sesame's own handler, as installed.
cp "$SESAME_SOURCE/contrib/sesame-open.desktop" "$sys/applications/"

cat >"$XDG_CONFIG_HOME/mimeapps.list" <<'EOF'
[Default Applications]
text/plain=editor-not-installed.desktop;org.test.Editor.desktop;
image/png=org.test.Viewer.desktop;
x-scheme-handler/https=org.test.Browser.desktop;
application/x-pdf=org.test.PdfReader.desktop;
x-scheme-handler/mailto=org.test.Mail.desktop;

[Added Associations]
image/jpeg=org.test.Paint.desktop;
text/x-csrc=org.test.Ide.desktop;

[Removed Associations]
image/gif=org.test.Viewer.desktop;
application/json=org.test.Json.desktop;
EOF
cat >"$XDG_CONFIG_HOME/test-mimeapps.list" <<'EOF'
[Default Applications]
text/html=org.test.Browser2.desktop;

[Added Associations]
audio/mpeg=org.test.Editor.desktop;
EOF
cat >"$TMPDIR/etc-xdg/mimeapps.list" <<'EOF'
[Default Applications]
image/png=org.test.Paint.desktop;
application/zip=org.test.Archiver.desktop;
video/mp4=org.test.Player.desktop;
EOF
cat >"$sys/applications/defaults.list" <<'EOF'
[Default Applications]
application/zip=org.test.Files.desktop;
EOF
cat >"$sys/applications/mimeapps.list" <<'EOF'
[Removed Associations]
video/mp4=org.test.Player.desktop;
EOF
update-desktop-database "$user/applications" "$sys/applications"

# The files: by name, by two extensions, upper case, by magic alone.
f=$TMPDIR/files
echo hello >"$f/a.txt"
echo hello >"$f/NOTES.TXT"
echo 'int main;' >"$f/b.c"
echo 'int x;' >"$f/c.h"
echo 'print(1)' >"$f/d.py"
printf '#!/bin/sh\necho hi\n' >"$f/e.sh"
printf '#!/bin/sh\necho hi\n' >"$f/script"
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\x08\x02\0\0\0' >"$f/img.png"
cp "$f/img.png" "$f/IMG.PNG"
cp "$f/img.png" "$f/picture"
printf '\xff\xd8\xff\xe0\0\x10JFIF\0' >"$f/photo.jpg"
cp "$f/photo.jpg" "$f/photo.JPEG"
printf 'GIF89a\1\0\1\0' >"$f/anim.gif"
printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' >"$f/doc.pdf"
cp "$f/doc.pdf" "$f/doc.PDF"
cp "$f/doc.pdf" "$f/paper"
cp "$f/doc.pdf" "$f/pdf-named.png"
printf '\x01\x02\x03\x04\x00\x05binary' >"$f/blob"
echo 'just words, no extension' >"$f/words"
printf '\x1f\x8b\x08\0\0\0\0\0\0\3' >"$f/archive.tar.gz"
printf 'PK\3\4' >"$f/archive.zip"
printf 'BZh91AY&SY' >"$f/archive.tar.bz2"
echo '<html></html>' >"$f/page.html"
printf 'ID3\3\0' >"$f/song.mp3"
printf '\0\0\0\x18ftypmp42' >"$f/movie.mp4"
mkdir -p "$f/folder"
: >"$f/empty.dat"
echo hello >"$f/a b.txt"
echo hello >"$f/ü.txt"
echo hello >"$f/$(printf 'bad\xff').txt"
echo '{"a": 1}' >"$f/data.json"
echo '# title' >"$f/readme.md"
echo 'p {}' >"$f/style.css"
echo hello >"$f/report.pdf.txt"
echo 'all:' >"$f/Makefile"
echo '<a/>' >"$f/data.xml"
printf '[Desktop Entry]\nType=Application\nName=x\nExec=true\n' >"$f/launcher.desktop"
printf '[Desktop Entry]\nType=Application\nName=x\nExec=true\n' >"$f/disguised"
echo 'a line' >"$f/server.log"

targets=(
	"$f/a.txt" "$f/NOTES.TXT" "$f/b.c" "$f/c.h" "$f/d.py" "$f/e.sh" "$f/script" "$f/img.png" "$f/IMG.PNG"
	"$f/picture" "$f/photo.jpg" "$f/photo.JPEG" "$f/anim.gif" "$f/doc.pdf" "$f/doc.PDF" "$f/paper"
	"$f/pdf-named.png" "$f/blob" "$f/words" "$f/archive.tar.gz" "$f/archive.zip" "$f/archive.tar.bz2"
	"$f/page.html" "$f/song.mp3" "$f/movie.mp4" "$f/folder" "$f/empty.dat" "file://$f/a%20b.txt"
	"file://$f/%C3%BC.txt" "FILE://$f/a.txt" "$f/$(printf 'bad\xff').txt" "$f/data.json" "$f/readme.md" "$f/style.css"
	"$f/report.pdf.txt" "$f/Makefile" "$f/data.xml" "$f/launcher.desktop" "$f/disguised" "$f/server.log"
	https://example.org/ http://example.org/path HTTPS://EXAMPLE.ORG/ mailto:someone@example.org
	sesame-test:thing Sesame-Test:Other ftp://example.org/file
)

# The apps that call sesame open (or xdg-open) from their own scope: the
# command in caller-NAME.cmd, its output and status in caller-NAME.out/.rc.
# The environment a session would give them, written in (the launcher's
# own is not theirs).
cat >"$TMPDIR/bin/caller" <<SH
#!/bin/sh
export PATH='$PATH' HOME='$HOME' XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' XDG_CONFIG_HOME='$XDG_CONFIG_HOME'
export XDG_DATA_HOME='$XDG_DATA_HOME' XDG_DATA_DIRS='$XDG_DATA_DIRS' XDG_CONFIG_DIRS='$XDG_CONFIG_DIRS'
export XDG_CURRENT_DESKTOP='$XDG_CURRENT_DESKTOP' DISPLAY=:0 DBUS_SESSION_BUS_ADDRESS='${DBUS_SESSION_BUS_ADDRESS:-}'
cd '$TMPDIR/files'
rc=0
eval "\$(cat '$TMPDIR'/caller-\$1.cmd)" >'$TMPDIR'/caller-\$1.out 2>&1 || rc=\$?
echo \$rc >'$TMPDIR'/caller-\$1.rc
exec sleep 300
SH
chmod +x "$TMPDIR/bin/caller"
printf '[Desktop Entry]\nType=Application\nName=Chat\nExec=%s chat\n' "$TMPDIR/bin/caller" >"$user/applications/org.test.Chat.desktop"
printf '[Desktop Entry]\nType=Application\nName=Shell\nExec=%s shell\n' "$TMPDIR/bin/caller" >"$user/applications/org.test.Shell.desktop"
# in_caller NAME ENTRY [LAUNCH-OPTIONS...] -- COMMAND: COMMAND run inside a launch of ENTRY; its output
# in $out, its status in $rc.
in_caller() {
	local name=$1 entry=$2 opts=()
	shift 2
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	printf '%s\n' "$*" >"$TMPDIR/caller-$name.cmd"
	rm -f "$TMPDIR/caller-$name.rc"
	"$sesame" launch "$entry" "${opts[@]}" >"$TMPDIR/caller-$name.launch" || return 1
	take_pid caller_pid "$TMPDIR/caller-$name.launch"
	wait_until 20000 test -s "$TMPDIR/caller-$name.rc" || return 1
	out=$(cat "$TMPDIR/caller-$name.out") rc=$(cat "$TMPDIR/caller-$name.rc")
}
# record_of ID: the newest record of a handler ID once it is there.
record_of() {
	local id=$1
	wait_until 10000 eval 'ls "$TMPDIR/records/$id".* 2>/dev/null | grep -vq "\.tmp$"' || return 1
	ls -t "$TMPDIR/records/$id".* | grep -v '\.tmp$' | head -1
}
records_clear() { rm -f "$TMPDIR"/records/*; }

cat >"$XDG_CONFIG_HOME/sesame/launcher.conf" <<'CONF'
[Launcher]
Terminal=@BIN@/recorder terminal -e
[LaunchProfile secretful]
Environment=CALLER_ONLY=yes
Secret=caller-token
[LaunchProfile work]
Environment=WORK_MODE=on
[LaunchProfile chat]
Environment=FROM_CHAT=yes
CONF
sed -i "s|@BIN@|$TMPDIR/bin|" "$XDG_CONFIG_HOME/sesame/launcher.conf"
# The rules come after the table (which holds the defaults to GIO's).
cat >"$TMPDIR/rules.conf" <<'CONF'
[Open corp-links]
Match=https://*.corp.example.com/* https://jira.example.com/*   # the work browser
Entry=org.test.Browser2
Tags=work
[Open images]
MimeType=image/*
Entry=org.test.Paint
[Open from-chat]
From=org.test.Chat
Entry=org.test.Browser2
Tags=chat
[Open first]
Match=https://first.example.com/*
Entry=org.test.Mail
[Open second]
Match=https://first.example.com/*
Entry=org.test.Editor
[Open pick-pdf]
MimeType=application/pdf
Ask=yes
CONF

start_keyring
secret=$(/usr/bin/python3 -c 'import secrets; print(secrets.token_hex(20))')
printf '%s' "$secret" | secret-tool store --label=caller sesame-profile default sesame-secret caller-token
"$sesame" keys init >/dev/null
start_daemon

# ---- the table: sesame's choice is GIO's
run /usr/bin/python3 "$gio_open" "${targets[@]}"
gio=$out
check "GIO answered for each of the ${#targets[@]} targets" test "$(wc -l <<<"$gio")" = "${#targets[@]}" ||
	echo "# $err"
run "$sesame" open --dry-run --json "${targets[@]}"
sesame_json=$out
check "sesame open --dry-run --json answered for them all (0 or 32: some have no application)" \
	eval '[ "$rc" = 0 ] || [ "$rc" = 32 ]'
differ=0
for i in "${!targets[@]}"; do
	want=$(sed -n "$((i + 1))p" <<<"$gio")
	got=$(jq -c ".targets[$i] | {type, entry_id}" <<<"$sesame_json")
	if [ "$(jq -S -c . <<<"$want")" = "$(jq -S -c '.entry_id //= null' <<<"$got")" ]; then
		ok "as GIO: $(printf '%q' "${targets[$i]#"$f/"}") -> $want"
	else
		not_ok "as GIO: $(printf '%q' "${targets[$i]#"$f/"}"): GIO $want, sesame $got"
		differ=$((differ + 1))
	fi
done
check "the table has at least 40 cases, and no difference" eval '[ "${#targets[@]}" -ge 40 ] && [ "$differ" = 0 ]'

# ---- a data directory without mimeinfo.cache: its entries' MimeType= lines
# count for sesame (the specification's way); GIO 2.74 reads only the cache
mv "$user/applications/mimeinfo.cache" "$TMPDIR/user-mimeinfo.cache"
run /usr/bin/python3 "$gio_open" sesame-test:x
run2=$(jq -r .entry_id <<<"$out")
run "$sesame" open --dry-run --json sesame-test:x
check "without the user's mimeinfo.cache: sesame reads its entries' MimeType= (org.test.Custom), GIO 2.74 finds none (the documented difference)" \
	eval '[ "$(jq -r ".targets[0].entry_id" <<<"$out")" = org.test.Custom ] && [ "$run2" = null ]'
mv "$TMPDIR/user-mimeinfo.cache" "$user/applications/mimeinfo.cache"

# ---- the rules, read again when launcher.conf changes
cat "$TMPDIR/rules.conf" >>"$XDG_CONFIG_HOME/sesame/launcher.conf"
rule_of() { "$sesame" open --dry-run --json "$@" | jq -r '.targets[0].rule // "none"'; }
printf '[Open broken]\nEntry=org.test.Editor\n' >>"$XDG_CONFIG_HOME/sesame/launcher.conf"
check "launcher.conf's new rules are in force once it changed" \
	wait_until 10000 eval '[ "$(rule_of https://a.corp.example.com/x)" = corp-links ]'
run "$sesame" config list --json
check "sesame config list: the rules in their order, the one without a condition left out with its line" \
	test "$(jq -c '[.open_rules[] | [.name, (.invalid // "" | sub(".*launcher.conf:[0-9]+: "; ""))]]' <<<"$out")" = \
	'[["corp-links",""],["images",""],["from-chat",""],["first",""],["second",""],["pick-pdf",""],["broken","[Open broken]: no Match=, MimeType= or From=: the rule would take everything"]]'
run "$sesame" open --dry-run --json https://a.corp.example.com/x https://jira.example.com/browse/X-1 https://example.org/ \
	"$f/img.png" "$f/photo.jpg" https://first.example.com/a
targets_of() { jq -c "[.targets[] | [.rule, .entry_id, (.tags | join(\",\"))]]" <<<"$out"; }
check "Match= URL globs: corp and jira to the work browser with its tags; another URL to the default, no rule" \
	test "$(jq -c '.targets[0:3] | map([.rule, .entry_id, (.tags|join(","))])' <<<"$out")" = \
	'[["corp-links","org.test.Browser2","work"],["corp-links","org.test.Browser2","work"],[null,"org.test.Browser",""]]'
check "MimeType=image/*: a PNG and a JPEG to Paint" \
	test "$(jq -c '.targets[3:5] | map([.rule, .entry_id])' <<<"$out")" = '[["images","org.test.Paint"],["images","org.test.Paint"]]'
check "the first rule that matches wins ([Open first] before [Open second])" \
	test "$(jq -c '.targets[5] | [.rule, .entry_id]' <<<"$out")" = '["first","org.test.Mail"]'
run "$sesame" open --dry-run --json --entry org.test.Editor https://a.corp.example.com/x
check "--entry overrides the rule's app (its tags stay)" \
	test "$(jq -c '.targets[0] | [.rule, .entry_id, .tags]' <<<"$out")" = '["corp-links","org.test.Editor",["work"]]'
run "$sesame" open --dry-run --json --tag chat https://a.corp.example.com/x
check "--tag overrides the rule's tags" test "$(jq -c '.targets[0].tags' <<<"$out")" = '["chat"]'
check "--dry-run --json gives each target's argv and trust profile" \
	test "$(jq -c '.targets[0] | [.argv, .profile]' <<<"$out")" = '[["'"$TMPDIR/bin/recorder"'","org.test.Browser2","https://a.corp.example.com/x"],"default"]'
in_caller chat org.test.Chat -- sesame open --dry-run --json https://example.org/page
check "From=: a link from the chat app (launched by sesame) goes to its rule: the caller known by its scope" \
	test "$(jq -c '[.caller, .targets[0].rule, .targets[0].entry_id, .targets[0].tags]' <<<"$out")" = \
	'["org.test.Chat","from-chat","org.test.Browser2",["chat"]]'
run "$sesame" open --dry-run --json https://example.org/page
check "...the same link from elsewhere: no caller, the default" \
	test "$(jq -c '[.caller, .targets[0].rule, .targets[0].entry_id]' <<<"$out")" = '[null,null,"org.test.Browser"]'
run "$sesame" open --dry-run "$f/a.txt"
check "--dry-run without --json: type, rule, entry, tags, argv" \
	eval '[ "$rc" = 0 ] && grep -q "type: *text/plain" <<<"$out" && grep -q "entry: *org.test.Editor" <<<"$out" &&
	grep -q "rule: *(none)" <<<"$out" && grep -q "argv: *$TMPDIR/bin/recorder org.test.Editor $f/a.txt" <<<"$out"'

check "sesame-open.desktop is valid (desktop-file-validate)" desktop-file-validate "$SESAME_SOURCE/contrib/sesame-open.desktop"

# ---- the opened app never inherits the caller: the real xdg-open, sesame the default https handler
before=$(cat "$XDG_CONFIG_HOME/mimeapps.list")
run "$sesame" open --set-default x-scheme-handler/https x-scheme-handler/http
check "--set-default: sesame first, the default before kept after it" \
	eval '[ "$rc" = 0 ] && grep -qx "x-scheme-handler/https=sesame-open.desktop;org.test.Browser.desktop;" "$XDG_CONFIG_HOME/mimeapps.list" &&
	grep -qx "x-scheme-handler/http=sesame-open.desktop;" "$XDG_CONFIG_HOME/mimeapps.list"'
run /usr/bin/python3 "$gio_open" https://example.org/ http://example.org/
check "...GIO now gives sesame's handler for both" \
	test "$(jq -r .entry_id <<<"$out" | sort -u)" = sesame-open
run "$sesame" open --dry-run --json https://example.org/ http://example.org/
check "...sesame passes over itself: the handler before (the default, and the one the cache names)" \
	test "$(jq -c '[.targets[].entry_id]' <<<"$out")" = '["org.test.Browser","org.test.Browser"]'
records_clear
in_caller shell org.test.Shell --tag secretful -- xdg-open https://example.org/from-shell
check "an app launched with a secret runs xdg-open (xdg-utils'): it succeeds" test "$rc" = 0 || echo "# $out"
check "...the app had the profile's variable and the secret" \
	eval '[ "$(envvar "$caller_pid" CALLER_ONLY)" = yes ] && [ "$(envvar "$caller_pid" CALLER_TOKEN)" = "$secret" ]'
rec=$(record_of org.test.Browser)
check "...the browser was started with the link" grep -qx "argv https://example.org/from-shell" "${rec:-/dev/null}"
browser_pid=${rec##*.}
kill_at_exit "$browser_pid"
check "...in a scope of its own named after it, not the caller's" \
	eval 'grep -q "/app-open-sesame-org-test-Browser-[0-9]*\.scope$" /proc/$browser_pid/cgroup &&
	! grep -q "org-test-Shell" /proc/$browser_pid/cgroup'
check "...with none of the caller's variables or secrets" \
	eval '! grep -q "^CALLER_ONLY=\|^CALLER_TOKEN=" "$rec" && ! grep -qF "$secret" "$rec" && grep -qx "SESAME_APP_ID=org.test.Browser" "$rec"'
run "$sesame" ps --json
check "...sesame ps lists it under its own entry" \
	test "$(jq -r ".apps[] | select(.pid == $browser_pid) | .entry_id" <<<"$out")" = org.test.Browser
records_clear
dropin=$SESAME_SOURCE/contrib/xdg-open
in_caller shell org.test.Shell --tag secretful -- PATH="$dropin:\$PATH" xdg-open https://a.corp.example.com/ticket
check "sesame's xdg-open drop-in: the corp rule's browser, with its tags' variables and not the caller's" \
	eval 'rec=$(record_of org.test.Browser2) && grep -qx "argv https://a.corp.example.com/ticket" "$rec" &&
	grep -qx "WORK_MODE=on" "$rec" && ! grep -q "^CALLER_ONLY=" "$rec" && ! grep -qF "$secret" "$rec"'
kill_at_exit "${rec##*.}"
run "$sesame" open --unset-default x-scheme-handler/https x-scheme-handler/http
check "--unset-default: the file is as it was before, byte for byte" \
	eval '[ "$rc" = 0 ] && [ "$(cat "$XDG_CONFIG_HOME/mimeapps.list")" = "$before" ]'
run "$sesame" open --unset-default x-scheme-handler/https
check "...again: nothing to take out, nothing changed" \
	eval '[ "$rc" = 0 ] && grep -q "was not its default" <<<"$out" && [ "$(cat "$XDG_CONFIG_HOME/mimeapps.list")" = "$before" ]'
run "$sesame" open --set-default not-a-type
check "--set-default of something that is not a type: 2, the file untouched" \
	eval '[ "$rc" = 2 ] && [ "$(cat "$XDG_CONFIG_HOME/mimeapps.list")" = "$before" ]'

# ---- sesame as the only handler, a handler that calls xdg-open back, no handler
"$sesame" open --set-default x-scheme-handler/lonely >/dev/null
run "$sesame" open lonely:thing
check "sesame the only handler of a type: 32, saying so, no loop" \
	eval '[ "$rc" = 32 ] && grep -q "x-scheme-handler/lonely" <<<"$err" && grep -q "but sesame itself" <<<"$err"'
printf '[Desktop Entry]\nType=Application\nName=Loop\nExec=xdg-open %%u\nMimeType=x-scheme-handler/loop;\n' \
	>"$user/applications/org.test.Loop.desktop"
update-desktop-database "$user/applications"
check "the launcher sees the new entry" wait_until 10000 eval '"$sesame" entries --all 2>/dev/null | grep -q org.test.Loop'
records_clear
run timeout 20 xdg-open loop:x
check "a type whose only handler runs xdg-open, through the real xdg-open: fails (no loop), in bounded time" \
	eval '[ "$rc" != 0 ] && [ "$rc" != 124 ]'
run "$sesame" open loop:x
check "...sesame open itself: 32, no launch" eval '[ "$rc" = 32 ] && [ -z "$(ls "$TMPDIR/records")" ]'
notes=$TMPDIR/notes.jsonl
notify_recorder "$notes"
run "$sesame" open --notify always ftp://example.org/file
check "no handler: 32, the type named on stderr" \
	eval '[ "$rc" = 32 ] && grep -q "ftp://example.org/file: no application opens x-scheme-handler/ftp" <<<"$err"'
check "...and in a desktop notification" wait_until 5000 grep -q "x-scheme-handler/ftp" "$notes"

# ---- --ask: the candidates in the picker, default first
records_clear
run "$sesame" open --dry-run --json --ask "$f/photo.jpg"
check "--ask --dry-run: the apps for the type, the default first" \
	test "$(jq -c '[.targets[0].candidates[].id]' <<<"$out")" = '["org.test.Paint","org.test.Viewer"]'
run "$sesame" open --dry-run --json "$f/doc.pdf"
check "a rule's Ask=yes: the candidates listed for the pick, the default first" \
	test "$(jq -c '.targets[0] | [.rule, [.candidates[].id]]' <<<"$out")" = '["pick-pdf",["org.test.PdfReader"]]'
run "$sesame" open --picker 'fzf --filter PdfReader' "$f/doc.pdf"
check "...and the pick opens it" eval '[ "$rc" = 0 ] && rec=$(record_of org.test.PdfReader) && grep -qx "argv $f/doc.pdf" "$rec"'
kill_at_exit "${rec##*.}"
run "$sesame" open --ask --picker 'fzf --filter Viewer' "$f/photo.jpg"
check "--ask with fzf --filter as the picker: the pick opens it" \
	eval '[ "$rc" = 0 ] && rec=$(record_of org.test.Viewer) && grep -qx "argv $f/photo.jpg" "$rec"'
kill_at_exit "${rec##*.}"
run "$sesame" open --ask --picker true "$f/photo.jpg"
check "...a picker that picks nothing: nothing opened, 0" eval '[ "$rc" = 0 ] && ! ls "$TMPDIR"/records/org.test.Paint.* >/dev/null 2>&1'

# ---- grouping, terminals
run "$sesame" open --dry-run --json "$f/a.txt" "$f/NOTES.TXT" "$f/b.c" "$f/c.h"
check "targets of one %F app: one instance with both; of a %f app: one each" \
	test "$(jq -c '[.targets[].argv | length]' <<<"$out")" = '[4,4,3,3]'
echo 'a line' >"$f/app.log"
run "$sesame" open --dry-run --json "$f/server.log"
check "a Terminal=true handler runs in the configured terminal" \
	test "$(jq -c '.targets[0].argv[0:4]' <<<"$out")" = '["'"$TMPDIR/bin/recorder"'","terminal","-e","'"$TMPDIR/bin/recorder"'"]'

# ---- bad input
records_clear
run "$sesame" open "$f/no-such-file.txt"
check "a path that does not exist: 33, named, nothing launched" \
	eval '[ "$rc" = 33 ] && grep -q "no-such-file.txt: No such file" <<<"$err" && [ -z "$(ls "$TMPDIR/records")" ]'
bad=$f/$(printf 'bad\xff').txt
run "$sesame" open "$bad"
check "a path that is not UTF-8: opened, the app given the very bytes" \
	eval '[ "$rc" = 0 ] && rec=$(record_of org.test.Editor) && grep -qaF "argv $bad" "$rec"'
kill_at_exit "${rec##*.}"
records_clear
long="https://example.org/$(head -c 65536 /dev/zero | tr '\0' a)"
run "$sesame" open "$long"
check "a URL of 64 KiB: 2, said, nothing launched" \
	eval '[ "$rc" = 2 ] && grep -q "a URL of 65556 bytes" <<<"$err" && [ -z "$(ls "$TMPDIR/records")" ]'
mkdir -p "$f/many"
for i in $(seq 1000); do echo "$i" >"$f/many/$i.txt"; done
start=$(date +%s%N)
run "$sesame" open "$f"/many/*.txt
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
check "1,000 targets of one %F app: one instance with all of them (${elapsed} ms)" \
	eval '[ "$rc" = 0 ] && rec=$(record_of org.test.Editor) && [ "$(head -1 "$rec" | wc -w)" = 1001 ]'
kill_at_exit "${rec##*.}"
check "...within a bound that tells a stall from service (10 s)" test "$elapsed" -lt 10000
check "the launcher still serves" eval '"$sesame" status >/dev/null'
kill -TERM "$daemon"
wait_until 10000 exited "$daemon"
wait "$daemon"
rc=$?
daemon=
check "after all of it the launcher stops cleanly (0), nothing leaked or misused in its log (sanitizer builds)" \
	eval '[ "$rc" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$TMPDIR/daemon.log"'

done_testing
