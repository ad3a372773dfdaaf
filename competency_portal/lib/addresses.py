"""The address a request came from, as the login lockout and the audit trail see it.

Behind reverse proxies, REMOTE_ADDR is the nearest proxy's address: every person would share one
lockout and the trail would name the proxy. `PORTAL_PROXY_COUNT` says how many trusted proxies
stand in front of the portal (nginx on the same host: 1). Each proxy appends the address it saw
to X-Forwarded-For, so the client's address is that many entries from the right; entries further
left are the client's own to forge and are never read.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """The client's IP address as text, or None when there is no valid one."""
    meta = getattr(request, "META", None) or {}
    raw = meta.get("REMOTE_ADDR") or ""
    count = getattr(settings, "PORTAL_PROXY_COUNT", 0)
    if count:
        hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        # Fewer hops than proxies: the request did not come through them all; keep the
        # nearest sender's address rather than trust a header it may have written itself.
        if len(hops) >= count:
            raw = hops[-count]
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None
