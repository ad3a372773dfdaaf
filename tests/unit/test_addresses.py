"""The client's address behind trusted reverse proxies (competency_portal/lib/addresses.py)."""

import pytest
from django.test import RequestFactory

from competency_portal.lib.addresses import client_address

PROXY = "127.0.0.1"


def request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),
        # Without proxies the header is the client's to write: never read
        (0, "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # nginx on the host appends the address it saw
        (1, PROXY, "203.0.113.7", "203.0.113.7"),
        # A forged entry on the left is ignored; the proxy's own entry counts
        (1, PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        # Two proxies (a load balancer, then nginx): the outer one's entry
        (2, PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        # Fewer hops than proxies: the nearest sender, not a header it may have written
        (2, PROXY, "203.0.113.7", PROXY),
        (1, PROXY, None, PROXY),
        (1, PROXY, "not-an-address", None),
        (0, "2001:DB8::1", None, "2001:db8::1"),
    ],
)
def test_the_client_address(settings, count, remote, forwarded, expected):
    settings.PORTAL_PROXY_COUNT = count
    assert client_address(request(remote, forwarded)) == expected
