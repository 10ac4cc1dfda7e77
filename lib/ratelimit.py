"""Limits per network address, counted in the shared cache (CACHE_URL) so they hold across
every app server. Addresses are never stored: the cache key holds a keyed hash."""

from django.core.cache import cache
from django.utils import timezone


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
