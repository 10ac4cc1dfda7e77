#!/bin/sh
# What the image runs:
#   web      (default) gunicorn on 0.0.0.0:$PORT; with RUN_MIGRATIONS=1 it migrates first
#   worker   the task worker that sends email (django-tasks' database backend)
#   migrate  brings the database up to date, once, before the web containers start
#   anything else runs as given, e.g. `python manage.py createsuperuser`
set -eu

migrate() {
    python manage.py migrate --noinput
    # The default cache (CACHE_URL db://) is a table; with Redis this does nothing.
    python manage.py createcachetable
    # The embassy directory is real data, not demo content: every deployment gets it. Entries
    # an organiser has edited or deleted are left as they are.
    python manage.py load_embassies
}

case "${1:-web}" in
    web)
        case "${RUN_MIGRATIONS:-0}" in
            1 | true | yes | on) migrate ;;
        esac
        exec gunicorn --config /app/docker/gunicorn.conf.py campaign.wsgi
        ;;
    worker)
        exec python manage.py email_worker
        ;;
    migrate)
        migrate
        ;;
    *)
        exec "$@"
        ;;
esac
