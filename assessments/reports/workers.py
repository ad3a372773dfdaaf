"""The processes that lay printed forms out, under a time bound.

WeasyPrint cannot be interrupted from another thread, so every form is laid out in a child
process (a Renderer) that is killed when its form takes longer than PORTAL_PDF_TIMEOUT_SECONDS.
A renderer is forked once and then serves form after form over a pipe, keeping its fonts,
stylesheet and caches (render._engine) warm: the bound costs a pipe round trip per form, not a
process start. Renderers are kept for the next form in an idle list of this process, one per
form printed at the same moment (a web thread, a core of a batch).

Forked, not spawned: a child starts with the modules, the fonts and the stylesheet this process
has already loaded. That is sound because this process never lays a form out itself (fonts are
only loaded, under a lock, before a fork), and a child never touches the database, the
translations or the parent's connections: it receives HTML and limits, sends back PDF bytes or a
reason, and leaves with os._exit when its parent closes the pipe or kills it.
"""

import contextlib
import gc
import logging
import os
import signal
import threading
import time
import traceback
import weakref
from multiprocessing import Pipe
from multiprocessing.connection import wait

logger = logging.getLogger(__name__)


class RenderFailed(RuntimeError):
    """A form could not be laid out for a reason other than the bounds (the child's traceback
    is in the notes, so the log shows where)."""


class Renderer:
    """One child process that turns HTML into PDF bytes, one form at a time."""

    def __init__(self):
        from assessments.reports import render

        ours, theirs = Pipe()
        with _fork_lock:
            render._engine()  # fonts and stylesheet loaded here once, inherited by every child
            pid = os.fork()
            if pid == 0:
                try:
                    ours.close()
                    _serve(theirs)
                finally:
                    os._exit(0)
            theirs.close()  # before another thread forks: the child's end is the child's alone
        self.pid = pid
        self.connection = ours
        self.deadline = None
        self.timeout = None
        _everyone.add(self)

    def send(self, html, limits):
        """Start laying out one form; its time runs from now."""
        self.timeout = limits.timeout
        self.deadline = time.monotonic() + limits.timeout
        self.connection.send((html, limits.max_pages, limits.max_bytes))

    def receive(self):
        """The PDF of the form sent, waiting until its deadline at most. Raises FormTooLarge
        (the child goes on to the next form), FormTooSlow or RenderFailed (the child is then
        stopped: `stopped` is true)."""
        from assessments.reports.render import FormTooLarge, FormTooSlow

        if not self.connection.poll(max(self.deadline - time.monotonic(), 0)):
            self.stop()
            raise FormTooSlow.after(self.timeout)
        try:
            kind, *answer = self.connection.recv()
        except EOFError:
            code = self.stop()
            raise RenderFailed(f"The process laying the form out ended (status {code})") from None
        if kind == "pdf":
            return answer[0]
        if kind == "too large":
            message, params = answer
            raise FormTooLarge(message, **params)
        text, child_traceback = answer
        self.stop()  # a layout that broke off may have left the child's caches half-made
        error = RenderFailed(text)
        error.add_note(child_traceback)
        raise error

    def stop(self):
        """Kill the child and collect it; its exit status (None if it was already gone)."""
        self.connection.close()
        _everyone.discard(self)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:
            return None

    @property
    def stopped(self):
        return self.connection.closed

    def alive(self):
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False


def _serve(connection):
    """The child's loop: (html, max_pages, max_bytes) in, ("pdf", bytes) or a reason out."""
    from assessments.reports import render

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent; we end with it
    # What came from the parent is not ours to collect: the garbage collector would walk it,
    # and touch (copy) its pages, at every full collection. Measured: 17-36 ms of CPU per form
    # without this line, none with it.
    gc.freeze()
    while True:
        try:
            html, max_pages, max_bytes = connection.recv()
        except (EOFError, OSError):
            return  # the parent is gone or let us go
        # No collection while a form is laid out: its boxes and styles, alive until it is
        # written, made the collector walk them again and again (7-10 ms of a six-page form).
        # What the form left in cycles (about 10,000 objects) is collected once it is sent,
        # while nobody waits for this process.
        gc.disable()
        try:
            answer = ("pdf", render.make_pdf(html, max_pages, max_bytes))
        except render.FormTooLarge as refused:
            answer = ("too large", refused.message, refused.params)
        except Exception as error:
            answer = ("failed", f"{type(error).__name__}: {error}", traceback.format_exc())
        connection.send(answer)
        gc.enable()
        gc.collect()


# Renderers waiting for a form, those of this process only; every renderer of this process.
_idle = []
_idle_lock = threading.Lock()
_fork_lock = threading.Lock()
_everyone = weakref.WeakSet()


def _forget_the_parents_renderers():
    """In any child forked from this process: the parent's renderers are not ours."""
    for renderer in list(_everyone):
        renderer.connection.close()
    _everyone.clear()
    _idle.clear()


os.register_at_fork(after_in_child=_forget_the_parents_renderers)


def take():
    """An idle renderer of this process, or a new one."""
    with _idle_lock:
        while _idle:
            renderer = _idle.pop()
            if renderer.alive():
                return renderer
            renderer.stop()
    return Renderer()


def give_back(renderer):
    with _idle_lock:
        _idle.append(renderer)


def render(html, limits):
    """PDF bytes of one form, laid out by a renderer within `limits` (see render.html_to_pdf)."""
    renderer = take()
    try:
        renderer.send(html, limits)
    except BrokenPipeError:  # it died while idle
        renderer.stop()
        raise RenderFailed("The process laying the form out had ended") from None
    try:
        return renderer.receive()
    finally:
        if not renderer.stopped:
            give_back(renderer)


def render_many(items, limits, processes):
    """Lay out (key, html) items on up to `processes` renderers at once; yield (key, pdf, error)
    in the order they finish, `error` a FormRenderRefused or RenderFailed (and pdf None).
    `items` may be made as they are asked for: the next one is made while the renderers lay
    out the ones sent (a batch builds its next form's HTML meanwhile, not all of them first)."""
    from assessments.reports.render import FormRenderRefused

    items = iter(items)
    upcoming = next(items, None)
    busy = {}  # renderer → key
    try:
        while upcoming is not None or busy:
            while upcoming is not None and len(busy) < processes:
                key, html = upcoming
                renderer = take()
                try:
                    renderer.send(html, limits)
                    busy[renderer] = key
                except BrokenPipeError:  # it died while idle
                    renderer.stop()
                    yield key, None, RenderFailed("The process laying the form out had ended")
                upcoming = next(items, None)  # made while the renderers work
            if not busy:
                continue
            next_deadline = min(r.deadline for r in busy)
            ready = wait([r.connection for r in busy], max(next_deadline - time.monotonic(), 0))
            for renderer in list(busy):
                if renderer.connection not in ready and renderer.deadline > time.monotonic():
                    continue
                key = busy.pop(renderer)
                try:
                    finished = key, renderer.receive(), None
                except (FormRenderRefused, RenderFailed) as error:
                    finished = key, None, error
                if not renderer.stopped:
                    give_back(renderer)
                yield finished
    finally:
        for renderer in busy:  # a batch stopped half-way: its forms are not wanted
            renderer.stop()
