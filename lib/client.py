"""The visitor's network address, as the rate limits and the login lockout see it.

Why not django-ipware: its count of proxies is strict, so a request whose X-Forwarded-For a
client prefilled (anyone can) gets no address at all, and we would need a rule of our own
for it anyway. This rule is that one: trust exactly the entries our own proxies wrote.
"""

from django.conf import settings


def client_ip(request):
    """The visitor's address. Behind NUM_PROXIES proxies it is the one the outermost of
    them saw; any entries before that the client could have written itself."""
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")
