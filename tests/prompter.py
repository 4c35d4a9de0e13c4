#!/usr/bin/python3
# Answers gnome-keyring's password prompts, as a person at its dialog would:
# gcr's own mock prompter (libgcr-base-3, the library through which
# gnome-keyring prompts; gcr_mock_prompter_* is its API for tests), on the
# session bus. gnome-keyring asks it when started with
# GNOME_KEYRING_TEST_PROMPTER set to the name this prints.
#
#   prompter.py ANSWER...   each ANSWER, in order, answers one prompt: a
#                           password, or "cancel" (dismissed)
# Prints its bus name, then serves until its stdin closes.
import ctypes
import sys

gcr = ctypes.CDLL("libgcr-base-3.so.1")
gcr.gcr_mock_prompter_start.restype = ctypes.c_char_p
gcr.gcr_mock_prompter_expect_password_ok.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
name = gcr.gcr_mock_prompter_start()
for answer in sys.argv[1:]:
    if answer == "cancel":
        gcr.gcr_mock_prompter_expect_password_cancel()
    else:
        gcr.gcr_mock_prompter_expect_password_ok(answer.encode(), None)
print(name.decode(), flush=True)
sys.stdin.read()
