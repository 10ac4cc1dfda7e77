"""Limits per network address, counted in the shared cache (CACHE_URL) so they hold across
every app server. Addresses are never stored: the cache key holds a keyed hash."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone


def client_ip(request):
    """The visitor's address. Behind NUM_PROXIES proxies it is the one the outermost of
    them saw; any entries before that the client could have written itself."""
    if settings.NUM_PROXIES:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.NUM_PROXIES:
            return forwarded[-settings.NUM_PROXIES]
    return request.META.get("REMOTE_ADDR", "")


def keyed_hash(purpose, value):
    """A fingerprint of `value` that cannot be reversed or recomputed without the key."""
    key = hashlib.sha256(f"{purpose}:{settings.SIGNATURE_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def ip_fingerprint(ip):
    return keyed_hash("ip", ip or "")


def over_limit(scope, ip_hash, limit, now=None):
    """Count one attempt at `scope` from a network address; True once it has made more
    than `limit` in the current hour."""
    now = now or timezone.now()
    key = f"rate:{scope}:{ip_hash}:{now:%Y%m%d%H}"
    # Increment first: after the first attempt of the hour the key exists, and one incr is
    # all it costs (atomic in Redis; a read and a write in the database cache).
    try:
        count = cache.incr(key)
    except ValueError:  # the hour's first attempt, unless another request added it first
        count = 1 if cache.add(key, 1, timeout=3600) else cache.incr(key)
    return count > limit
