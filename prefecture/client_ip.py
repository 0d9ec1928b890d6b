"""The address a request comes from, as the staff lockout and the rate limits count it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The connection's address, or, behind TRUSTED_PROXY_COUNT reverse proxies, the address the
    outermost of them saw: the entry that many places from the right of X-Forwarded-For.

    Entries further left were written by the client and are ignored: otherwise an attacker
    could give each attempt a new address and never be locked out. Something that is not an
    address (the lockout stores it as one) falls back to the connection's.
    """
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            try:
                return str(ipaddress.ip_address(forwarded[-count]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR")
