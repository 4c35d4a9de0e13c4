#!/usr/bin/python3
"""The scope names sesame gives apps (UnitNames=xdg), read back by the
parsers of the programs that read app IDs from them: xdg-desktop-portal's
(which decides what app a host process is) and KDE's (System Monitor,
Plasma's task manager). Both are written here again from their sources,
named below with the commit they were read at; the table holds plain IDs,
dashes, non-ASCII, a leading dot, the retry form (a name already taken)
and IDs too long for a unit name. Prints TAP."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from tap import check, done  # noqa: E402

PRINT = os.environ["SESAME_UNIT_NAME_PRINT"]


def sesame_name(app_id, pid=4711, attempt=0, style="xdg"):
    r = subprocess.run([PRINT, style, app_id, str(pid), str(attempt)], capture_output=True)
    assert r.returncode == 0, r.stderr
    return r.stdout.decode("utf-8", "surrogateescape").rstrip("\n")


def unescape_bytes(text):
    """systemd's \\xNN escapes back to bytes (cunescape's part for them)."""
    return re.sub(rb"\\x([0-9a-fA-F]{2})", lambda m: bytes([int(m.group(1), 16)]),
                  text.encode("utf-8", "surrogateescape"))


# xdg-desktop-portal, shared/xdp-app-info-host.c,
# _xdp_app_info_host_parse_app_id_from_unit_name(), at commit
# 0542d2b778a5eee69733abb2dbe013646d58a924 (github.com/flatpak/xdg-desktop-portal):
# two GRegex patterns (PCRE; [[:alnum:]] is ASCII without G_REGEX_UNICODE...),
# the first for scopes and slices, the second for services, then
# cunescape(UNESCAPE_RELAX) of group 1; no match gives "".
PORTAL_SCOPE = re.compile(r"^app-(?:[A-Za-z0-9]+\-)?(.+?)(?:\-[A-Za-z0-9]*)(?:\.scope|\.slice)$")
PORTAL_SERVICE = re.compile(r"^app-(?:[A-Za-z0-9]+\-)?(.+?)(?:@[A-Za-z0-9]*|\-autostart)?\.service$")


def portal_app_id(unit):
    assert unit.startswith("app-")
    m = PORTAL_SCOPE.match(unit) or PORTAL_SERVICE.match(unit)
    if not m:
        return ""
    try:
        return unescape_bytes(m.group(1)).decode("utf-8")
    except UnicodeDecodeError:
        return None  # a GLib string that is not UTF-8: not an app ID anything can use


# KDE, libksysguard processcore/cgroup.cpp, CGroupPrivate::appIdFromCGroup()
# with s_appIdFromProcessGroupPattern and unescapeName(), at commit
# b2389bcdee383372b5b3238378fe48e2bcb8e091 (github.com/KDE/libksysguard):
# QRegularExpression::match (a search, not anchored), group 2, then each
# \xNN as the Latin-1 character of that byte.
KDE = re.compile(r"(apps|app|flatpak|dbus)-(?:[^-]*-)?([^-]+(?=-.*\.scope)|[^@]+(?=(?:@.*)?\.service|.slice))")


def kde_app_id(unit):
    m = KDE.search(unit)
    if not m:
        return ""
    return re.sub(r"\\x([0-9a-fA-F]{2})", lambda x: chr(int(x.group(1), 16)), m.group(2))


IDS = ["org.mozilla.firefox", "foot", "my-app-2", "org.gnome.Evolution-alarm-notify", "café", "日本語.app",
       ".hidden.app", "with space", "under_score:colon", "x"]

for app_id in IDS:
    for attempt in (0, 3):
        unit = sesame_name(app_id, attempt=attempt)
        form = "the retry form" if attempt else "the first form"
        check(portal_app_id(unit) == app_id, f"portal reads {app_id!r} back from {unit} ({form})",
              repr(portal_app_id(unit)))
        latin1 = app_id.encode("utf-8").decode("latin-1")
        check(kde_app_id(unit) == latin1, f"KDE reads {app_id!r} back (each escaped byte a Latin-1 character)",
              repr(kde_app_id(unit)))

# A transient service's name (UnitType=service): app-sesame-<ID>@<N>.service,
# the integration document's form for a service; N is no PID (the
# launcher picks it: the service has none yet), up to ten digits.
for app_id in IDS:
    unit = sesame_name(app_id, pid=4294967295, style="xdg-service")
    check(unit.endswith("@4294967295.service") and portal_app_id(unit) == app_id,
          f"portal reads {app_id!r} back from the service {unit}", repr(portal_app_id(unit)))
    latin1 = app_id.encode("utf-8").decode("latin-1")
    check(kde_app_id(unit) == latin1, f"KDE reads {app_id!r} back from the service", repr(kde_app_id(unit)))
long_id = "org.example." + "é" * 120
unit = sesame_name(long_id, pid=4294967295, style="xdg-service")
read = portal_app_id(unit)
check(len(unit.encode()) <= 255 and read and long_id.startswith(read),
      f"a service of an ID too long: the name fits ({len(unit.encode())} bytes), the portal reads a cut of it")

# IDs too long for a unit name: cut before the first character that does
# not fit whole. The portal then reads the cut ID: a prefix of the real one,
# whole characters, which names no installed app.
for app_id, label in (("org.example." + "Long" * 80, "an ASCII ID of 332 characters"),
                      ("org.example." + "é" * 120, "an ID of 120 two-byte characters"),
                      ("org.example." + "日" * 80, "an ID of 80 three-byte characters"),
                      ("org.example." + "-" * 100, "an ID of dashes, each escaped")):
    for attempt in (0, 999):
        unit = sesame_name(app_id, pid=4194304, attempt=attempt)
        read = portal_app_id(unit)
        check(len(unit.encode()) <= 255 and read is not None and len(read) > 0 and app_id.startswith(read)
              and len(read) < len(app_id),
              f"{label}: the name fits ({len(unit.encode())} bytes) and the portal reads a cut of it,"
              f" whole characters ({len(read or '')} of {len(app_id)})", f"{unit}\n{read!r}")

# The seed style (the default) is not the integration form: sesame's own
# names, which the portal cannot read an ID from; said in
# sesame-launcher.conf(5).
unit = sesame_name("org.mozilla.firefox", style="seed")
check(unit == "app-open-sesame-org-mozilla-firefox-4711.scope" and portal_app_id(unit) != "org.mozilla.firefox",
      "UnitNames=seed: the portal does not read the ID back (use UnitNames=xdg)", portal_app_id(unit))

done()
