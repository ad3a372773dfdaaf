"""The Python heap of a web process.

A page of HR's (the analytics, an export) makes tens of thousands of objects; each time the
garbage collector runs a full collection it also walks every object the process has kept since
it started (Django, the printing libraries, URL patterns, templates, translations): about 50 ms
a collection at the portal's size, once or twice in such a request. Those objects live as long
as the process, so after the first request they are collected once and frozen
(`gc.freeze()`): later collections walk only what requests made. Objects frozen are still
freed when nothing refers to them; only a reference cycle among them would stay.
"""

import gc

from django.core.signals import request_finished


def freeze_after_first_request():
    """Called once by each web process (wsgi.py), and by `make bench` as the processes do."""
    request_finished.connect(_freeze, dispatch_uid="heap-freeze")


def _freeze(**kwargs):
    request_finished.disconnect(dispatch_uid="heap-freeze")
    gc.collect()
    gc.freeze()
