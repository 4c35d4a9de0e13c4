#!/usr/bin/env python3
"""gen-entries.py N DIR: N realistic desktop files in DIR/applications (a
tenth of them in subdirectories), each with thirty translations of Name,
GenericName, Comment and Keywords, as distribution files have."""
import os
import sys

n, top = int(sys.argv[1]), sys.argv[2]
apps = os.path.join(top, "applications")
langs = ["ar", "bg", "ca", "cs", "da", "de", "el", "es", "et", "eu", "fi", "fr", "gl", "he", "hu",
         "id", "it", "ja", "ko", "lt", "nb", "nl", "pl", "pt", "pt_BR", "ro", "ru", "sk", "sv", "zh_CN"]
for i in range(n):
    sub = os.path.join(apps, f"vendor{i % 7}") if i % 10 == 0 else apps
    os.makedirs(sub, exist_ok=True)
    lines = ["[Desktop Entry]", "Type=Application", f"Name=Application {i}"]
    lines += [f"Name[{l}]=Anwendung {i} ({l})" for l in langs]
    lines += [f"GenericName=Tool number {i}"] + [f"GenericName[{l}]=Werkzeug {i}" for l in langs]
    lines += [f"Comment=Does thing {i} well"] + [f"Comment[{l}]=Macht Ding {i} gut" for l in langs]
    lines += ["Keywords=tool;thing;work;"] + [f"Keywords[{l}]=werkzeug;ding;{l};" for l in langs]
    lines += [f"Exec=true --instance {i} %U", f"Icon=org.example.App{i}", "Terminal=false",
              "Categories=Utility;Development;", "MimeType=text/plain;text/x-c;application/json;",
              "StartupNotify=true", ""]
    with open(os.path.join(sub, f"org.example.App{i}.desktop"), "w") as f:
        f.write("\n".join(lines))
