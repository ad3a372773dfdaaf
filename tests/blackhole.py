"""A database server that never answers, and requests served by it.

`BlackHole` is a TCP server on 127.0.0.1 that accepts every connection and never says a word:
what a hung PostgreSQL server, or a network that drops its answers, looks like to a client. The
fault is outside the portal (at the socket), so the portal's own code runs unchanged.
"""

import socket
import threading
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import ConnectionHandler


class BlackHole:
    """`with BlackHole() as hole:` a server at `hole.url` that accepts and never answers (on
    `port`, or a free one)."""

    def __init__(self, port=0):
        self.port = port

    def __enter__(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = f"postgres://portal@127.0.0.1:{self.port}/portal"
        self.accepted = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def _accept(self):
        while not self.stop.is_set():
            try:
                peer, _address = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(peer)  # held open, never read, never answered

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join()
        for peer in self.accepted:
            peer.close()
        self.listener.close()


def connection_to(config):
    """A Django database connection (not opened yet) built from a DATABASES entry."""
    return ConnectionHandler({DEFAULT_DB_ALIAS: config})[DEFAULT_DB_ALIAS]


@contextmanager
def default_database(config):
    """Meanwhile, every use of the default database (the requests' sessions, users, queries)
    goes to a connection built from `config`; the test database is back afterwards."""
    saved = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = connection_to(config)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        connections[DEFAULT_DB_ALIAS] = saved
