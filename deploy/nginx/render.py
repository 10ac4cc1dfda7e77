#!/usr/bin/env python3
"""Render the proxy's configuration for Debian's nginx, from the same files the official
image uses in docker-compose.yml: templates/default.conf.template through envsubst (only the
NGINX_* names, as the image's entrypoint fills in the names it is given), beside the snippets/,
sites/ and upstreams/ directories, under a main nginx.conf like the image's own.

    deploy/nginx/render.py OUT_DIR [NAME=VALUE ...]

writes OUT_DIR/nginx.conf; then `nginx -t -c OUT_DIR/nginx.conf` checks it and
`nginx -c OUT_DIR/nginx.conf` runs it (as the user running it, logs and pid in OUT_DIR).
CI checks it so; tests/test_the_proxy_in_front.py and bench/cluster.py run it so.
"""

import os
import re
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULTS = {
    "NGINX_UPSTREAM": "127.0.0.1:8000",
    "NGINX_LISTEN": "127.0.0.1:8080",
    "NGINX_CONNECTIONS_PER_ADDRESS": "100",
}
MIME_TYPES = Path("/etc/nginx/mime.types")

MAIN = """\
# Like the official image's /etc/nginx/nginx.conf, for one unprivileged nginx in {out}.
daemon {daemon};
{user}worker_processes {workers};
pid {out}/nginx.pid;
error_log {out}/error.log warn;
events {{
    worker_connections 4096;
}}
http {{
    include mime.types;
    default_type application/octet-stream;
    sendfile on;
    client_body_temp_path {out}/tmp/body;
    proxy_temp_path {out}/tmp/proxy;
    fastcgi_temp_path {out}/tmp/fastcgi;
    uwsgi_temp_path {out}/tmp/uwsgi;
    scgi_temp_path {out}/tmp/scgi;
    include conf.d/*.conf;
}}
"""


def envsubst(text, values):
    """${NAME} for each NAME given; anything else (nginx's own $names) left as it is."""
    return re.sub(r"\$\{(\w+)\}", lambda m: values.get(m[1], m[0]), text)


def render(out, daemon=False, workers=1, **values):
    out = Path(out).resolve()
    values = {**DEFAULTS, "NGINX_CACHE_DIR": str(out / "cache"), **values}
    for name in ("conf.d", "tmp", "cache", "upstreams"):
        (out / name).mkdir(parents=True, exist_ok=True)
    for name in ("snippets", "sites"):
        target = out / name
        if target.is_symlink() or target.exists():
            target.unlink() if target.is_symlink() else shutil.rmtree(target)
        target.symlink_to(HERE / name)
    for extra in (HERE / "upstreams").glob("*.conf"):
        shutil.copy(extra, out / "upstreams" / extra.name)
    for template in (HERE / "templates").glob("*.template"):
        text = envsubst(template.read_text(), values)
        left = re.findall(r"\$\{(\w+)\}", text)
        if left:
            raise SystemExit(f"{template.name}: no value for {', '.join(sorted(set(left)))}")
        (out / "conf.d" / template.name.removesuffix(".template")).write_text(text)
    shutil.copy(MIME_TYPES, out / "mime.types")
    conf = out / "nginx.conf"
    # Started as root (CI, a bench), nginx's workers would become `nobody`, who cannot read a
    # test's private directory: they stay the user who started it, on loopback only.
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(MAIN.format(out=out, daemon="on" if daemon else "off", workers=workers, user=user))
    return conf


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    given = dict(arg.split("=", 1) for arg in sys.argv[2:])
    env = {k: v for k, v in os.environ.items() if k.startswith("NGINX_")}
    print(render(sys.argv[1], **{**env, **given}))
