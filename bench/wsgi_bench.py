"""The site as campaign/wsgi.py serves it, with two changes for the benchmark, made here so
that campaign/settings.py stays as production runs it:

- ROOT_URLCONF is bench/urls_bench.py (the site's URLs plus a bare view, the floor);
- STATIC_ROOT is BENCH_STATIC_ROOT, where the benchmark collected the static files.

Only bench/petition_signing.py runs it: gunicorn bench.wsgi_bench:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "bench.urls_bench"
if os.environ.get("BENCH_STATIC_ROOT"):
    settings.STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
