#!/usr/bin/python3
"""GIO as the peer of sesame open: for each argument, the type and the
default application GIO gives it, as `gio open` finds them — a URL by
g_app_info_get_default_for_uri_scheme(), a file (a path or a file:// URI)
by g_file_query_info()'s content type and g_file_query_default_handler().
One JSON object per argument, one per line: {"type", "entry_id"} (the
entry's ID without ".desktop", or null). Arguments are bytes: a path that
is not UTF-8 is passed as it is (os.fsencode)."""
import json
import os
import sys

import gi

gi.require_version("Gio", "2.0")
from gi.repository import Gio, GLib  # noqa: E402


def default_for(arg):
    # A path that is not UTF-8 has no scheme (and GLib wants UTF-8 there).
    scheme = None if arg.startswith("/") else GLib.Uri.peek_scheme(arg)
    if scheme and scheme != "file":
        app = Gio.AppInfo.get_default_for_uri_scheme(scheme)
        return "x-scheme-handler/" + scheme, app
    f = Gio.File.new_for_commandline_arg(os.fsencode(arg))
    info = f.query_info("standard::content-type", Gio.FileQueryInfoFlags.NONE, None)
    try:
        app = f.query_default_handler(None)
    except GLib.Error:
        app = None
    return info.get_content_type(), app


for arg in sys.argv[1:]:
    kind, app = default_for(arg)
    app_id = app.get_id() if app else None
    if app_id and app_id.endswith(".desktop"):
        app_id = app_id[:-len(".desktop")]
    print(json.dumps({"type": kind, "entry_id": app_id}))
