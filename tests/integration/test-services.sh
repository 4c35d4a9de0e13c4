#!/bin/bash
set -u
. "$(dirname "$0")/../tap.sh"
. "$(dirname "$0")/../lib/daemon.sh"
check "journald" start_journald
xdg_dirs
desktop_entry org.example.Svc "sh -c 'echo svc line >&2; echo \"<3>svc broke\" >&2; sleep 300'" Name=Svc
"$sesame" keys init >/dev/null
start_daemon
run "$sesame" launch --service org.example.Svc
echo "# rc=$rc out=$out err=$err"
unit=$(unit_in "$out"); pid=$(pid_in "$out")
systemctl --user show "$unit" -p Type,ExitType,MainPID,CollectMode,Slice,Description,SourcePath,SyslogIdentifier,StandardError,StandardOutput,StandardInput,Environment,ExecStart | sed 's/^/# /'
cat /proc/$pid/cmdline | tr '\0' ' '; echo
ls -la /proc/$pid/fd | sed 's/^/# /'
sleep 1; journalctl --sync; "$sesame" logs org.example.Svc | sed 's/^/# /'
"$sesame" ps | sed 's/^/# /'
ls $XDG_RUNTIME_DIR/systemd/transient/ && cat $XDG_RUNTIME_DIR/systemd/transient/* | sed 's/^/# /'
tail -5 $TMPDIR/daemon.log | sed 's/^/# /'
done_testing
