# The site's image: `docker compose up` (docker-compose.yml) or see docs/deployment.md.
# No secret is baked in: SECRET_KEY, DATABASE_URL and the rest come from the environment.

# Build stage: the virtualenv, made where pip may fetch and build whatever it needs.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /venv
COPY requirements.txt /tmp/requirements.txt
RUN /venv/bin/pip install -r /tmp/requirements.txt

# Runtime stage: only the virtualenv and the code.
FROM python:3.11-slim
ENV PATH=/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEBUG=0 \
    PORT=8000 \
    MEDIA_ROOT=/app/media \
    SERVE_MEDIA=1
RUN groupadd --gid 1000 campaign \
    && useradd --uid 1000 --gid campaign --home-dir /app --no-create-home --shell /usr/sbin/nologin campaign
WORKDIR /app
COPY --from=build /venv /venv
# The code stays owned by root: the app's user can read it, not change it. Except the
# catalogues in locale/ and events/locale/, which translators edit from the admin
# (docs/translation.md).
COPY . .
# Static files are collected into the image with hashed names. Settings refuse to load
# with DEBUG off and no SECRET_KEY, so this one command gets a throwaway key of its own;
# it never reaches the image's environment.
RUN SECRET_KEY=collectstatic-only-not-a-secret SIGNATURE_HASH_KEY=collectstatic-only-not-a-secret DATA_ENCRYPTION_KEY=collectstatic-only-not-a-secret-either ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown campaign:campaign /app/media \
    && chown -R campaign:campaign /app/locale /app/events/locale
USER campaign
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "/app/docker/healthcheck.py"]
# `web` (the default) serves the site; `worker`, `migrate` or any command: see the script.
ENTRYPOINT ["/app/docker/entrypoint.sh"]
CMD ["web"]
