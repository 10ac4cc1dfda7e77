"""A Redis cache that a stopped Redis cannot turn into 500s.

Django's RedisCache raises on every call while Redis is unreachable, and the cache is on the
path of every signature (the rate limit) and of the public pages. This one catches the
connection errors, logs once, and answers from this process's own memory (a LocMemCache)
for RETRY_SECONDS before trying Redis again, so an outage costs each request nothing more
than a dictionary lookup, and a Redis that comes back is used again within seconds.

What that means for what is cached:

- pages and counts: each process keeps its own copy for the usual few seconds; no worse;
- rate limits (lib/ratelimit.py): each process counts on its own. That is the safe side of
  the two wrong answers: refusing every signature while Redis is down would stop a surge of
  real people, and counting nothing would let a script sign without limit. Counted per
  process, one address gets at most (web workers x SIGN_RATE_LIMIT) attempts an hour per app
  server, still a limit, and nobody honest is refused.

Why not Django's RedisCache alone, or django-redis: the first turns an outage into 500s on
every signature, and django-redis's way to ride one out (IGNORE_EXCEPTIONS, "emulate
memcached exception behavior", its README, read 2026-12-03) answers every call with nothing
while Redis is down, so a rate limit would count nothing at all and let a script sign without
limit: the unsafe one of the two wrong answers. bench/failures.py measures the outage as it is
here (pages and signing go on, limits counted per process).
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_SECONDS = 5

# Add one to a counter, made with a lifetime if it was not there: one atomic command. The
# value is a plain integer, as Django's RedisCache stores integers, so get() and incr() read it.
COUNT_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


def count(cache, key, timeout):
    """Add one to the counter at `key` in `cache`, made to last `timeout` seconds if it is
    not there yet; returns the new count. One round trip on Redis; on other caches an incr,
    or an add the first time."""
    counter = getattr(cache, "count", None)
    if counter is not None:
        return counter(key, timeout)
    return _count_with_incr(cache, key, timeout)


def _count_with_incr(cache, key, timeout, version=None):
    # Increment first: after the first attempt the key exists, and one incr is all it costs
    # (a read and a write in the database cache).
    try:
        return cache.incr(key, version=version)
    except ValueError:  # the first attempt, unless another request added it first
        return 1 if cache.add(key, 1, timeout=timeout, version=version) else cache.incr(key, version=version)


def _resilient(name, on_redis=None, locally=None):
    """The cache method `name`: Redis's (RedisCache's own, or `on_redis`), else this process's
    memory's (LocMemCache's own, or `locally`, given that cache)."""

    def method(self, *args, **kwargs):
        if self._down_until > time.monotonic():
            return self._answer_locally(name, locally, *args, **kwargs)
        try:
            if on_redis is None:
                result = getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
            else:
                result = on_redis(self, *args, **kwargs)
        except UNREACHABLE as exc:
            self._went_down(exc)
            return self._answer_locally(name, locally, *args, **kwargs)
        if self._down_until:
            self._came_back()
        return result

    method.__name__ = name
    return method


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._local = LocMemCache(f"fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _answer_locally(self, name, locally, *args, **kwargs):
        if locally is None:
            return getattr(self._local, name)(*args, **kwargs)
        return locally(self._local, *args, **kwargs)

    @functools.cached_property
    def _count_script(self):
        # One client kept for it: Django makes a new redis.Redis (and its table of some 170
        # reply parsers) for every call, which cost more CPU than the round trip.
        return self._cache.get_client(write=True).register_script(COUNT_SCRIPT)

    def _count_on_redis(self, key, timeout, version=None):
        key = self.make_and_validate_key(key, version=version)
        return int(self._count_script(keys=[key], args=[int(timeout)]))

    count = _resilient("count", on_redis=_count_on_redis, locally=_count_with_incr)

    @property
    def degraded(self):
        """True while this process answers from its own memory."""
        return self._down_until > time.monotonic()

    def _went_down(self, exc):
        with self._lock:
            was_up = self._down_until == 0.0
            self._down_until = time.monotonic() + RETRY_SECONDS
        if was_up:
            logger.warning("Redis unreachable (%s): local memory meanwhile, retried every %ss", exc, RETRY_SECONDS)

    def _came_back(self):
        with self._lock:
            self._down_until = 0.0
        logger.warning("Redis answers again: back to the shared cache")

    for _name in (
        "add", "get", "set", "touch", "delete", "get_many", "has_key", "incr", "set_many", "delete_many", "clear",
    ):  # fmt: skip
        locals()[_name] = _resilient(_name)
    del _name
