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
        # A yes/no value, read as campaign/settings.py reads one: anything else stops here,
        # naming it (`RUN_MIGRATIONS=ture` must not quietly serve an unmigrated database).
        case "$(printf '%s' "${RUN_MIGRATIONS:-0}" | tr -d ' ' | tr '[:upper:]' '[:lower:]')" in
            1 | true | yes | on) migrate ;;
            0 | false | no | off | "") ;;
            *)
                echo "RUN_MIGRATIONS must be one of 0, 1, false, no, off, on, true, yes, not '$RUN_MIGRATIONS'." >&2
                exit 1
                ;;
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
