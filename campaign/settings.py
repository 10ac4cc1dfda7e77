"""
One settings file for every environment, driven by environment variables.

With nothing set it gives a working local site: a SQLite file, mail printed to the
terminal, tasks run inline. Production sets DEBUG=0 and the rest (see .env.example).
"""

import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def env_bool(name, default=False):
    """A yes/no variable. Anything else stops the site: `SECURE_SSL_REDIRECT=ture` must not
    quietly mean off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(sorted(TRUE_WORDS | FALSE_WORDS))}, not {os.environ[name]!r}."
    )


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def email_settings(url):
    """Turn EMAIL_URL (smtp://user:pass@host:port, smtp+tls://, smtp+ssl://, console://)
    into Django's EMAIL_* settings."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme in {"locmem", "memory"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme in {"dummy", "none"}:
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    if scheme not in {"smtp", "smtp+tls", "smtp+ssl", "submission"}:
        raise ImproperlyConfigured(f"EMAIL_URL has an unknown scheme: {scheme!r}")
    query = parse_qs(parts.query)
    use_ssl = scheme == "smtp+ssl" or "ssl" in query
    use_tls = scheme in {"smtp+tls", "submission"} or "tls" in query
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls and not use_ssl,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": 20,
    }


def cache_settings(url):
    """CACHE_URL: redis://host:port/db, locmem://, dummy://, or db:// (the default, a
    table in the main database, so rate limits hold across app servers with no extra
    service)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in {"redis", "rediss"}:
        # lib/cache.py: Redis unreachable, the site goes on with each process's own memory
        # (rate limits counted per process) instead of answering 500.
        return {
            "BACKEND": "lib.cache.ResilientRedisCache",
            "LOCATION": url,
            # A Redis that hangs costs a request half a second, not a worker.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": urlsplit(url).netloc or "django_cache",
            # Its incr() sets the default timeout again: an hour, so a rate-limit counter
            # lives out its hour. Room for a counter per address without culling live ones.
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    raise ImproperlyConfigured(f"CACHE_URL has an unknown scheme: {scheme!r}")


DEBUG = env_bool("DEBUG", default=False) if "DEBUG" in os.environ else True
# Without DEBUG in the environment we assume a developer's machine; production images
# set DEBUG=0 explicitly (see Dockerfile), so a forgotten variable never exposes secrets.

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

# Old keys still accepted while a rotation settles (SECURITY.md): sessions and mailed links.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Left unset on a local site (DEBUG on), links follow the address the browser used, so
# runserver on another port hands out links to that port (lib/origin.py).
SITE_URL_FROM_REQUEST = DEBUG and not os.environ.get("SITE_URL")

# The site's onion address (deploy/tor/; docs/deployment.md, "An onion address"): the host
# name Tor gives the service, xyz….onion. The site then answers on it too, over plain HTTP
# (the onion service is its own encryption), and a visitor who came through it gets every
# link on it (lib/origin.py); the clear site announces it in an Onion-Location header.
ONION_HOST = os.environ.get("ONION_HOST", "").strip().lower().rstrip(".")
if ONION_HOST:
    if not re.fullmatch(r"(?:[a-z0-9-]+\.)*[a-z2-7]{56}\.onion", ONION_HOST):
        raise ImproperlyConfigured(
            f"ONION_HOST must be the service's host name, 56 letters and digits then .onion "
            f"(deploy/tor: the `hostname` file), not {os.environ['ONION_HOST']!r}."
        )
    ALLOWED_HOSTS.append(ONION_HOST)
    # Forms posted from the onion pages: their Origin is http://, not https://.
    CSRF_TRUSTED_ORIGINS.append(f"http://{ONION_HOST}")

INSTALLED_APPS = [
    # Before the admin, so that its admin classes see the translated fields (docs/translation.md).
    "modeltranslation",
    "campaign.apps.CampaignAdminConfig",  # django.contrib.admin with the organisers' site (campaign/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",  # sitemap.xml's templates
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "rosetta",
    "django_tasks",
    "django_tasks_db",
    "campaign",
    "prisoners",
    "appeals",
    "petitions",
    "news",
    "events",
]

MIDDLEWARE = [
    # Health probes come from Docker and load balancers with the container's address as
    # Host and over plain HTTP: answered first, before host checking and HTTPS redirects.
    "campaign.middleware.HealthCheckMiddleware",
    # The onion address (ONION_HOST): links on it, Onion-Location on the clear site, and no
    # HTTPS redirect there; the second one closes what the first opened around the redirect.
    "campaign.middleware.OnionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "campaign.middleware.OnionAfterSecurityMiddleware",
    "campaign.middleware.SecurityHeadersMiddleware",  # Content-Security-Policy, Permissions-Policy
    "campaign.middleware.DatabaseUnavailableMiddleware",  # the database down or too slow: 503, not 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session, CSRF and messages middleware: sees the cookies and tokens they add,
    # and marks such answers private for any shared cache in front (the proxy, a CDN).
    "lib.pagecache.PrivateWhenPersonal",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, plus: a first visit to an English address follows the
    # browser's Accept-Language, and /en/… remembers a choice of English (see its docstring).
    "campaign.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the lockout page
]

ROOT_URLCONF = "campaign.urls"
WSGI_APPLICATION = "campaign.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "campaign.languages.languages",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lib.pagecache.placeholders",  # last: a page drawn to be kept carries no one's CSRF token
            ],
            # Shared template tags that belong to no app (lib imports no app of ours).
            "libraries": {"content_language": "lib.content_language", "sharing": "lib.sharing"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
# A stuck query (a lock held by an organiser's long admin action, a table locked by a
# migration) must not hold every gunicorn worker until gunicorn kills them: PostgreSQL cuts
# a statement off after DATABASE_STATEMENT_TIMEOUT seconds, and gives up waiting for a lock
# after DATABASE_LOCK_TIMEOUT, and the visitor gets the 503 "try again in a moment" page.
# 0 turns either off. manage.py sets both to 0 unless they are set in the environment:
# migrations, purges and imports take as long as they need; the web workers do not.
DATABASE_STATEMENT_TIMEOUT = float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10"))
DATABASE_LOCK_TIMEOUT = float(os.environ.get("DATABASE_LOCK_TIMEOUT", "3"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`'s file, one connection per runserver thread. SQLite takes one writer at a
    # time: a plain (deferred) transaction that reads first and then writes cannot wait for the
    # lock and fails at once with "database is locked" (the visitor's 503). An IMMEDIATE one
    # takes the write lock at BEGIN, where SQLite waits up to `timeout` seconds for it; WAL lets
    # pages be read while a signature is written, and synchronous=NORMAL is WAL's safe setting.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )

# DATABASE_URL names a pooler in transaction mode (PgBouncer's pool_mode = transaction, or a
# managed database's pooler): each transaction may run on a different server connection.
# Django's server-side cursors (.iterator() on PostgreSQL: the hand-over pack, the export)
# outlive the transaction that opened them, so they are turned off; and PgBouncer refuses the
# `options` startup parameter that carries the timeouts above ("unsupported startup parameter:
# options"), so the timeouts are the database's own: set them on the web's database role
# (docs/deployment.md, "PgBouncer").
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "").strip().lower()
if DATABASE_POOLER not in {"", "none", "transaction"}:
    raise ImproperlyConfigured(f"DATABASE_POOLER must be transaction or none, not {os.environ['DATABASE_POOLER']!r}.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})
    # libpq's own: a database host that does not answer (not merely refusing) costs a
    # request 3 seconds, not the operating system's two minutes.
    DATABASES["default"]["OPTIONS"]["connect_timeout"] = 3
    if DATABASE_POOLER == "transaction":
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    else:
        DATABASES["default"]["OPTIONS"]["options"] = (
            f"-c statement_timeout={int(DATABASE_STATEMENT_TIMEOUT * 1000)} "
            f"-c lock_timeout={int(DATABASE_LOCK_TIMEOUT * 1000)}"
        )

CACHES = {
    "default": cache_settings(os.environ.get("CACHE_URL", "db://django_cache")),
    # Public pages drawn once every few seconds (lib/pagecache.py), in each web process's own
    # memory: the same for every anonymous visitor, nothing personal, nothing shared.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    # Parts of pages that are the same for every visitor ({% cache … using="fragments" %}),
    # in each process's own memory: an empty form in a language, or a case's facts and
    # timeline, keyed on the case's updated_at (prisoners/signals.py). Three parts for each
    # case in each language, with room to spare.
    "fragments": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian")), ("kk", _("Kazakh"))]
# The site's catalogues first (makemessages writes there), then Kazakh country names,
# which django-countries lacks (from Debian's iso-codes; docs/translation.md).
# The days of action keep their strings in a catalogue of their own, beside their code: listed
# here so that compile_translations and the catalogue watcher see it like the others.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "countries", BASE_DIR / "events" / "locale"]
FORMAT_MODULE_PATH = ["campaign.formats"]
# Set only by choosing English at /en/…, the one choice an address cannot carry (English
# lives at the root, whose pages follow Accept-Language). No Max-Age: it goes when the
# browser closes, and a watched supporter's device keeps no lasting trace of it.
LANGUAGE_COOKIE_AGE = None
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Translating the site's strings in the browser (campaign/translators.py, docs/translation.md).
ROSETTA_ACCESS_CONTROL_FUNCTION = "campaign.translators.can_translate"
# Texts of cases, appeals and petitions in each language (each app's translation.py): English
# is the original, and a text not yet translated is shown in English, marked as such.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

ROSETTA_LANGUAGES = [("ru", "Russian"), ("kk", "Kazakh")]
ROSETTA_MESSAGES_SOURCE_LANGUAGE_CODE = "en"
ROSETTA_SHOW_AT_ADMIN_PANEL = False  # the admin's index is the dashboard: linked from there
ROSETTA_ENABLE_TRANSLATION_SUGGESTIONS = False  # would send the site's strings to a third party
ROSETTA_EXCLUDED_APPLICATIONS = ["rosetta"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Serve files straight from the app folders while developing (and under the test
# runner, which turns DEBUG off after this file is read).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
# Hashed file names never change, so browsers may keep them for a year.
WHITENOISE_MAX_AGE = 0 if DEBUG else 60

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

vars().update(email_settings(os.environ.get("EMAIL_URL", "console://")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kazakhstan Solidarity <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Email to signers goes out as tasks (django-tasks). "immediate" runs them inside the
# request, for `make run` and the tests; production uses "database", a queue table that
# `manage.py email_worker` (the compose file's worker) works through, so no request ever
# waits for the mail server.
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# Petitions (docs/development.md, "Petitions and signers' data").
# Signers' addresses are kept as keyed hashes. The key must stay the same for as long as
# the signatures are kept, or a second signature from one address would count. It is never
# SECRET_KEY: that one must be free to rotate, and whoever learns one key learns no more.
SIGNATURE_HASH_KEY = os.environ.get("SIGNATURE_HASH_KEY", "")
if not SIGNATURE_HASH_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SIGNATURE_HASH_KEY must be set when DEBUG is off (a long random value of its own; see SECURITY.md)."
        )
    SIGNATURE_HASH_KEY = "local-development-only-signature-hash-key"
# Signers' addresses, names, towns, organisations and comments are encrypted in the
# database with this key (lib/crypto.py), so that a dump or backup names nobody without it.
# Its own long random value, kept outside the database and its backups; never SECRET_KEY or
# SIGNATURE_HASH_KEY. Old values in DATA_ENCRYPTION_KEY_FALLBACKS still decrypt while
# `manage.py reencrypt_personal_data` rewrites everything with the new one (SECURITY.md, Keys).
DATA_ENCRYPTION_KEY = os.environ.get("DATA_ENCRYPTION_KEY", "")
if not DATA_ENCRYPTION_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DATA_ENCRYPTION_KEY must be set when DEBUG is off (a long random value of its own; see SECURITY.md)."
        )
    DATA_ENCRYPTION_KEY = "local-development-only-data-encryption-key"
elif DATA_ENCRYPTION_KEY in (SECRET_KEY, SIGNATURE_HASH_KEY):
    raise ImproperlyConfigured("DATA_ENCRYPTION_KEY must be a value of its own, not SECRET_KEY or SIGNATURE_HASH_KEY.")
DATA_ENCRYPTION_KEY_FALLBACKS = env_list("DATA_ENCRYPTION_KEY_FALLBACKS")
# A petition closed or delivered this many days ago has its signers' names, towns,
# organisations and comments deleted by `manage.py purge_signatures` (its counts, its
# hand-over record and digest stay). Three months leave time for a second hand-over, a
# follow-up letter to the same signers or a dispute about the list; after that the names
# serve nobody but whoever seizes the server.
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "90"))
FORGET_RATE_LIMIT = int(os.environ.get("FORGET_RATE_LIMIT", "10"))  # "forget me" requests per network per hour
SIGN_RATE_LIMIT = int(os.environ.get("SIGN_RATE_LIMIT", "30"))  # signing attempts per network address per hour
SIGN_MIN_SECONDS = float(os.environ.get("SIGN_MIN_SECONDS", "3"))  # faster than this is software, not a person
CONFIRM_LINK_DAYS = int(os.environ.get("CONFIRM_LINK_DAYS", "7"))
UNCONFIRMED_RETENTION_DAYS = int(os.environ.get("UNCONFIRMED_RETENTION_DAYS", "14"))
# Updates and case alerts (news/): at most this many emails a minute leave the worker, so a
# large send stays within the mail provider's limits; 0 sends as fast as the worker can.
UPDATE_EMAILS_PER_MINUTE = int(os.environ.get("UPDATE_EMAILS_PER_MINUTE", "60"))
# How many proxies in front of the app add themselves to X-Forwarded-For (0: none, the
# client connects to gunicorn directly). Rate limits count by the address they report.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "admin:login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stdout"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The organisers' workspace: two-factor login, login lockout, change history.
# A staff account with an authenticator always has to use it; REQUIRE_2FA makes one
# compulsory for every staff account (on by default in production, off in `make run`).
REQUIRE_2FA = env_bool("REQUIRE_2FA", default=not DEBUG)
OTP_TOTP_ISSUER = "Kazakhstan Solidarity"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins; needs the request
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
# A name from one address: behind a proxy every organiser may share an address, and
# locking by name alone would let anyone lock an organiser out from anywhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Logs name the account tried but not where organisers connect from.
AXES_SENSITIVE_PARAMETERS = ["ip_address"]
AXES_LOCKOUT_CALLABLE = "campaign.lockout.locked_out"
# The visitor's address as the rate limits see it (NUM_PROXIES): behind a proxy, axes'
# own REMOTE_ADDR would be the proxy's, the same for everyone, so anyone could lock out
# an organiser.
AXES_CLIENT_IP_CALLABLE = "lib.client.client_ip"
LOGGING["loggers"]["axes"] = {"level": "INFO"}  # each failed login and lockout
LOGGING["loggers"]["axes.apps"] = {"level": "WARNING"}  # not its banner at every start

# --- Production: HTTPS, security headers, uploaded media (see "Running in production") ---
# Secure by default whenever DEBUG is off. Each switch can be turned off from the
# environment, e.g. SECURE_SSL_REDIRECT=0 for a plain-HTTP trial on localhost.
if env_bool("SECURE_PROXY_SSL_HEADER"):
    # Only behind a proxy that sets X-Forwarded-Proto itself: a client could forge it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS") or (0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# Supporters' browsers never tell another site which case file or petition they came from.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Its page never reads the request body (see campaign/views.py, error pages).
CSRF_FAILURE_VIEW = "campaign.views.csrf_failure"

# Uploaded media (prisoners' photos). One server: a volume at MEDIA_ROOT, served by the app
# when SERVE_MEDIA is on (the Docker image turns it on). Several servers: an S3-compatible
# bucket shared by all (django-storages, imported only when AWS_STORAGE_BUCKET_NAME is set;
# boto3 reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment itself).
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
media_origins = env_list("CSP_IMG_SRC")
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            # Signed, expiring links unless the bucket is public (e.g. behind a CDN).
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "file_overwrite": False,
        },
    }
    # Photos then come from the bucket's host: the Content-Security-Policy must allow it.
    if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
        media_origins.append(f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}")
    elif os.environ.get("AWS_S3_ENDPOINT_URL"):
        endpoint = urlsplit(os.environ["AWS_S3_ENDPOINT_URL"])
        media_origins.append(f"{endpoint.scheme}://{endpoint.netloc}")
    else:  # Amazon's own S3
        bucket = os.environ["AWS_STORAGE_BUCKET_NAME"]
        media_origins.append(f"https://{bucket}.s3.amazonaws.com")
        if os.environ.get("AWS_S3_REGION_NAME"):
            media_origins.append(f"https://{bucket}.s3.{os.environ['AWS_S3_REGION_NAME']}.amazonaws.com")

# Only this site's own files, and no inline script or style: pages are built for it.
# form-action allows mailto: so a form may hand a letter to the supporter's mail program.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:", *media_origins],
    "style-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "mailto:"],
    "frame-ancestors": ["'none'"],
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# --- end of production settings ---
