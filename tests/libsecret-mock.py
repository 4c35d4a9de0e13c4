#!/usr/bin/python3
"""libsecret-mock.py SCRIPT: runs one of libsecret's mock Secret Services
(tests/vendor/libsecret/mock-service-*.py, unchanged) under the well-known
name org.freedesktop.secrets on the session bus, so that clients that know
no other (sesame, secret-tool) find it. Prints the unique name once it
listens, as the mock does."""
import os
import runpy
import sys

import dbus
import dbus.service
from dbus.mainloop.glib import DBusGMainLoop

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor", "libsecret")
sys.path.insert(0, here)
# The mock's own connection is this one (a shared bus): on GLib's loop,
# which it runs.
DBusGMainLoop(set_as_default=True)
# Held for the life of the process: the name goes with it.
name = dbus.service.BusName("org.freedesktop.secrets", dbus.SessionBus(), do_not_queue=True)
runpy.run_path(os.path.join(here, sys.argv[1]), run_name="__main__")
