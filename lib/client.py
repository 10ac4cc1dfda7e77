"""The visitor's network address, as the rate limits and the login lockout see it.

From django-ipware, told to trust exactly what our own proxies wrote: only X-Forwarded-For
(a client can send Client-IP, X-Real-IP and the rest itself), and not strictly, so that
entries a client prefilled are passed over rather than making the whole header, and with it
every such visitor, fall back to the proxy's own address. ipware also reads an address a
proxy writes with its port ("203.0.113.5:4711") as the address, not one per port.
"""

from django.conf import settings
from ipware import get_client_ip


def client_ip(request):
    """The visitor's address. Behind NUM_PROXIES proxies it is the one the outermost of
    them saw; any entries before that the client could have written itself."""
    if settings.NUM_PROXIES:
        # ipware counts the proxies between the visitor and the last one, which writes the
        # header's last entry itself and so is not in it.
        address, _routable = get_client_ip(
            request,
            proxy_count=settings.NUM_PROXIES - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if address:
            return address
    return request.META.get("REMOTE_ADDR", "")
