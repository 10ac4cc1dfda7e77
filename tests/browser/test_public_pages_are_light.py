"""Supporters are often on a phone, on a slow or watched network: a page without photos
is under 150 KB on the wire and under 10 requests, as the browser counts them."""

import pytest

from .helpers import MAX_PAGE_BYTES, MAX_PAGE_REQUESTS, load_page
from .public_pages import LIGHT_PAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("public_page", LIGHT_PAGES, ids=str)
def test_a_page_without_photos_stays_under_150_kb_and_10_requests(public_page, phone_page, demo_content):
    load = load_page(phone_page, public_page.path)
    assert load.status == public_page.status
    print(f"{public_page.kind}:\n{load.report()}")
    assert not load.failed, f"requests failed:\n{load.report()}"
    assert load.total_bytes < MAX_PAGE_BYTES, f"too heavy:\n{load.report()}"
    assert load.request_count < MAX_PAGE_REQUESTS, f"too many requests:\n{load.report()}"


def test_the_stylesheets_arrive_compressed(page, demo_content):
    load = load_page(page, "/")
    stylesheets = [(url, size) for url, size, kind in load.transfers if kind == "stylesheet"]
    assert stylesheets, load.report()
    bootstrap = next(size for url, size in stylesheets if "bootstrap" in url)
    # 230 KB as a file; gzip or brotli bring it near 30 KB.
    assert bootstrap < 50 * 1024, load.report()
