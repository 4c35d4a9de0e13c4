#!/usr/bin/python3
# make-collection.py LABEL: a new Secret Service collection, made the way a
# client must: CreateCollection and its prompt on one connection (a prompt
# belongs to the connection that got it). The password prompt is answered by
# whatever prompter the service asks (tests/prompter.py in the tests).
# Prints the collection's object path.
import sys
from gi.repository import Gio, GLib
bus = Gio.bus_get_sync(Gio.BusType.SESSION)
r = bus.call_sync("org.freedesktop.secrets", "/org/freedesktop/secrets", "org.freedesktop.Secret.Service",
                  "CreateCollection", GLib.Variant("(a{sv}s)", ({"org.freedesktop.Secret.Collection.Label": GLib.Variant("s", sys.argv[1])}, "")),
                  None, Gio.DBusCallFlags.NONE, 10000, None)
coll, prompt = r.unpack()
if coll != "/":
    print(coll); sys.exit(0)
loop = GLib.MainLoop()
result = {}
def done(conn, sender, path, iface, signal, params):
    dismissed, value = params.unpack()
    result["path"] = None if dismissed else value
    loop.quit()
bus.signal_subscribe("org.freedesktop.secrets", "org.freedesktop.Secret.Prompt", "Completed", prompt, None, 0, done)
bus.call_sync("org.freedesktop.secrets", prompt, "org.freedesktop.Secret.Prompt", "Prompt", GLib.Variant("(s)", ("",)),
              None, Gio.DBusCallFlags.NONE, 10000, None)
GLib.timeout_add(10000, loop.quit)
loop.run()
print(result.get("path"))
sys.exit(0 if result.get("path") else 1)
