"""What the browser tests measure and check: axe-core's verdict, a page load's weight,
the links in an email and a mailto: link, screenshots to look at."""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

# axe-core from the npm registry, vendored with its licence (see tests/vendor/README.md).
AXE_PATH = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# The budget of the issue: a page without photos stays under these.
MAX_PAGE_BYTES = 150 * 1024
MAX_PAGE_REQUESTS = 10


def axe_violations(page, tags=WCAG_21_AA):
    """Run axe-core on the page as it is now; return its violations.

    axe is evaluated through the DevTools protocol rather than added as a <script>
    element: the site's Content-Security-Policy (no 'unsafe-inline') would block the
    latter, and a test should not have to switch the policy off to check a page.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", tags
    )
    return result["violations"]


def describe_violations(violations):
    """axe's findings as a reader would want them in a failing test's output."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  - {' '.join(node['target'])}")
            lines.append(f"    {node['html'][:200]}")
            summary = node.get("failureSummary", "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  ... and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


def assert_accessible(page):
    violations = axe_violations(page)
    assert not violations, f"axe-core found WCAG 2.1 AA violations on {page.url}:\n{describe_violations(violations)}"


@dataclass
class PageLoad:
    """Everything the browser fetched to show one page, as the network saw it."""

    url: str
    status: int
    transfers: list = field(default_factory=list)  # (url, bytes on the wire, resource type)
    failed: list = field(default_factory=list)

    @property
    def total_bytes(self):
        return sum(size for _url, size, _kind in self.transfers)

    @property
    def request_count(self):
        return len(self.transfers) + len(self.failed)

    def report(self):
        rows = [f"{size:>8} B  {kind:<10} {url}" for url, size, kind in self.transfers]
        rows += [f"  failed    {url}" for url in self.failed]
        rows.append(f"{self.total_bytes:>8} B  in {self.request_count} requests")
        return "\n".join(rows)


def load_page(page, url):
    """Open url in a fresh page and record each request's transfer size: response
    headers plus the body as sent (compressed when the server compressed it)."""
    finished, failed = [], []

    def on_finished(request):
        finished.append(request)

    def on_failed(request):
        failed.append(request)

    page.on("requestfinished", on_finished)
    page.on("requestfailed", on_failed)
    try:
        response = page.goto(url, wait_until="networkidle")
    finally:
        page.remove_listener("requestfinished", on_finished)
        page.remove_listener("requestfailed", on_failed)
    load = PageLoad(url=page.url, status=response.status)
    for request in finished:
        sizes = request.sizes()
        load.transfers.append(
            (request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"], request.resource_type)
        )
    load.failed = [request.url for request in failed]
    return load


def save_screenshot(page, name):
    """With BROWSER_SCREENSHOTS=/some/dir set, keep a full-page screenshot to look at."""
    folder = os.environ.get("BROWSER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-")
        page.screenshot(path=str(Path(folder) / f"{safe}.png"), full_page=True)


def links_in_email(message):
    """The http(s) links in an email from mailoutbox, plain text and HTML parts alike:
    journey 2 follows the confirmation link with them."""
    texts = [message.body] + [content for content, _mimetype in getattr(message, "alternatives", [])]
    links = []
    for text in texts:
        for link in re.findall(r"https?://[^\s\"'<>]+", text):
            if link not in links:
                links.append(link)
    return links


def parse_mailto(href):
    """A mailto: link as a mail program reads it (RFC 6068): journey 1 checks the
    letter's recipients, copies, subject and body with it."""
    parts = urlsplit(href)
    assert parts.scheme == "mailto", href
    query = {}
    for pair in filter(None, parts.query.split("&")):
        key, _, value = pair.partition("=")
        # Percent-decoding only: in a mailto: link "+" is a plus sign, not a space.
        query.setdefault(unquote(key).lower(), unquote(value))

    def addresses(value):
        return [address.strip() for address in value.split(",") if address.strip()]

    return {
        "to": addresses(unquote(parts.path)) + addresses(query.get("to", "")),
        "cc": addresses(query.get("cc", "")),
        "bcc": addresses(query.get("bcc", "")),
        "subject": query.get("subject", ""),
        "body": query.get("body", ""),
    }
