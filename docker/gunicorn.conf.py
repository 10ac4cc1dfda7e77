"""gunicorn's settings for the Docker image, from the environment (see .env.example)."""

import os


def env_bool(name, default):
    """A yes/no variable, read as campaign/settings.py reads one: any other value stops the
    server, naming it (`GUNICORN_ACCESS_LOG=of` must not quietly mean on)."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise SystemExit(f"{name} must be one of 0, 1, false, no, off, on, true, yes, not {os.environ[name]!r}.")


bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Sync workers: a request at a time each. About 2 per CPU core is a good start.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# The app is loaded once, in the master, and each worker is a fork of it: a worker that dies
# (killed, out of memory) is replaced in milliseconds, not after seconds of importing Django
# while its share of the requests queues. No database connection is opened at import.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Restart each worker now and then, so a slow leak never grows into an outage.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10
# Worker heartbeats in memory, not on the container's overlay disk (gunicorn's advice for Docker).
worker_tmp_dir = "/dev/shm"  # noqa: S108

# Logs go to stdout. The access log leaves out the client's address, user agent and the
# query string: who reads which case file or signs what is nobody's business, not even the logs'.
accesslog = "-" if env_bool("GUNICORN_ACCESS_LOG", True) else None
access_log_format = "%(m)s %(U)s %(s)s %(B)s %(M)sms"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
