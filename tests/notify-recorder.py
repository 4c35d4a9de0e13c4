#!/usr/bin/python3
# A notification server for tests, written for them: it owns
# org.freedesktop.Notifications on the session bus and appends each Notify
# call to a file as one JSON line. (A real server - dunst, xfce4-notifyd -
# needs a display; the picker test runs dunst under sway instead.)
#
#   notify-recorder.py FILE    prints "ready" once it owns the name
import json
import sys

from gi.repository import Gio, GLib

XML = """<node><interface name="org.freedesktop.Notifications">
<method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/><arg type="s" direction="in"/>
<arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="as" direction="in"/>
<arg type="a{sv}" direction="in"/><arg type="i" direction="in"/><arg type="u" direction="out"/></method>
<method name="GetCapabilities"><arg type="as" direction="out"/></method>
<method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
<arg type="s" direction="out"/><arg type="s" direction="out"/></method>
<method name="CloseNotification"><arg type="u" direction="in"/></method>
</interface></node>"""

path = sys.argv[1]
counter = [0]


def on_call(conn, sender, obj, iface, method, params, invocation):
    if method == "Notify":
        app, replaces, icon, summary, body, actions, hints, timeout = params.unpack()
        # As the specification says: a replacement keeps the ID it replaces.
        if replaces == 0:
            counter[0] += 1
        nid = replaces or counter[0]
        with open(path, "a") as f:
            f.write(json.dumps({"app": app, "icon": icon, "summary": summary, "body": body, "id": nid,
                                "replaces": replaces, "hints": {k: v for k, v in hints.items()},
                                "timeout": timeout}) + "\n")
        invocation.return_value(GLib.Variant("(u)", (nid,)))
    elif method == "GetCapabilities":
        invocation.return_value(GLib.Variant("(as)", (["body"],)))
    elif method == "GetServerInformation":
        invocation.return_value(GLib.Variant("(ssss)", ("notify-recorder", "sesame", "1", "1.2")))
    else:
        invocation.return_value(None)


def on_bus(conn, name):
    node = Gio.DBusNodeInfo.new_for_xml(XML)
    conn.register_object("/org/freedesktop/Notifications", node.interfaces[0], on_call, None, None)


def on_name(conn, name):
    print("ready", flush=True)


Gio.bus_own_name(Gio.BusType.SESSION, "org.freedesktop.Notifications", Gio.BusNameOwnerFlags.NONE,
                 on_bus, on_name, lambda *a: sys.exit("notify-recorder: lost the name"))
GLib.MainLoop().run()
