"""Limits per network address, counted in the shared cache (CACHE_URL) so they hold across
every app server.

Addresses are never stored, not even as a fingerprint someone could reverse: a counter's key
holds the address hashed with a random salt of the hour, shared by all servers through the
cache and gone with it when the hour is over. Whoever takes the server finds, at most, the
current hour's counters; there are only 2^32 IPv4 addresses, so a lasting key (SECRET_KEY,
say) would give every address back.
"""

import hashlib
import hmac
import secrets

from django.core.cache import cache
from django.utils import timezone

from lib.cache import count

_salts = {}  # hour -> salt, so each process asks the cache once an hour


def hour_salt(hour):
    salt = _salts.get(hour)
    if salt is None:
        key = f"rate-salt:{hour}"
        cache.add(key, secrets.token_hex(16), timeout=2 * 3600)  # whoever is first sets it
        salt = cache.get(key) or secrets.token_hex(16)
        if getattr(cache, "degraded", False):
            # Redis is down (lib/cache.py): this salt is this process's own, for counting in
            # its own memory. Not kept, so that once Redis is back every process shares
            # the hour's salt again, and with it the counters.
            return salt
        _salts.clear()
        _salts[hour] = salt
    return salt


def over_limit(scope, ip, limit, now=None):
    """Count one attempt at `scope` from a network address; True once it has made more
    than `limit` in the current hour."""
    hour = f"{now or timezone.now():%Y%m%d%H}"
    digest = hmac.new(hour_salt(hour).encode(), f"{scope}:{ip}".encode(), hashlib.sha256).hexdigest()[:32]
    key = f"rate:{scope}:{digest}:{hour}"
    # One round trip on Redis (lib/cache.py); atomic there, a read and a write in the
    # database cache.
    return count(cache, key, 3600) > limit
