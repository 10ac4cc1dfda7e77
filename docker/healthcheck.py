"""The image's HEALTHCHECK: exit 0 when /healthz answers 200 (the database answers too).

Python's standard library only, as the slim image has no curl."""

import os
import sys
import urllib.request

url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/healthz"
try:
    with urllib.request.urlopen(url, timeout=4) as response:  # noqa: S310 (a fixed local http URL)
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:  # refused, timed out, or an HTTP error such as 503
    print(f"{url}: {error}", file=sys.stderr)
    sys.exit(1)
