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
"""

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


def _resilient(name):
    def method(self, *args, **kwargs):
        if self._down_until > time.monotonic():
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(super(ResilientRedisCache, self), name)(*args, **kwargs)
        except UNREACHABLE as exc:
            self._went_down(exc)
            return getattr(self._local, name)(*args, **kwargs)
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
