"""robots.txt and sitemap.xml: public pages in every language are found; drafts, signer
lists past the first page, the links mailed to signers and the admin stay out."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext(f"{SITEMAP}loc"): {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
        for url in root.findall(f"{SITEMAP}url")
    }


def test_robots_txt_keeps_crawlers_from_the_admin_the_mailed_links_and_later_signer_pages(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    for prefix in ("/", "/ru/", "/kk/"):
        for path in (
            "admin/",
            "petitions/confirm/",
            "petitions/withdraw/",
            "petitions/stop-updates/",
            "petitions/*/signers/?before=",
            "petitions/*/embed/",
        ):
            assert f"Disallow: {prefix}{path}" in lines
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in lines
    # The pages themselves are not refused.
    assert "Disallow: /" not in lines and "Disallow: /petitions/" not in lines


def test_the_sitemap_lists_every_public_page_in_every_language(client, make_prisoner, make_appeal, make_petition):
    import datetime

    from events.models import Event

    prisoner, appeal, petition = make_prisoner(), make_appeal(status="closed"), make_petition()
    event = Event.objects.create(title="Picket", date=datetime.date(2011, 12, 21), status=Event.Status.APPROVED)
    found = sitemap(client)
    for path in (
        "/",
        reverse("prisoners:list"),
        prisoner.get_absolute_url(),
        reverse("appeals:list"),
        reverse("appeals:embassies"),
        appeal.get_absolute_url(),
        reverse("petitions:list"),
        petition.get_absolute_url(),
        reverse("petitions:signers", args=[petition.slug]),
        reverse("events:list"),
        event.get_absolute_url(),
    ):
        for prefix in ("", "/ru", "/kk"):
            assert f"http://127.0.0.1:8000{prefix}{path}" in found, f"{prefix}{path}"
        alternates = found[f"http://127.0.0.1:8000{path}"]
        assert alternates == {
            "en": f"http://127.0.0.1:8000{path}",
            "ru": f"http://127.0.0.1:8000/ru{path}",
            "kk": f"http://127.0.0.1:8000/kk{path}",
            "x-default": f"http://127.0.0.1:8000{path}",
        }


def test_the_sitemap_leaves_out_drafts_unpublished_cases_hidden_signers_and_private_addresses(
    client, make_prisoner, make_appeal, make_petition
):
    hidden = make_prisoner(is_published=False)
    draft_appeal = make_appeal(status="draft")
    draft_petition = make_petition(status="draft")
    unlisted = make_petition(list_signers=False)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.content.decode()
    for slug in (hidden.slug, draft_appeal.slug, draft_petition.slug):
        assert f"/{slug}/" not in text
    assert f"/{unlisted.slug}/signers/" not in text
    assert f"/{unlisted.slug}/" in text  # the petition itself is public
    for private in ("?before=", "/admin/", "/confirm/", "/withdraw/", "/stop-updates/", "/embed/", "@"):
        assert private not in text, private


def test_the_sitemap_uses_the_sites_address_not_the_requests_host(client, settings, make_petition):
    settings.SITE_URL = "https://solidarity.example.org"
    settings.ALLOWED_HOSTS = ["other.example"]
    make_petition()
    response = client.get("/sitemap.xml", HTTP_HOST="other.example")
    assert response.status_code == 200
    locations = [url.findtext(f"{SITEMAP}loc") for url in ET.fromstring(response.content).iter(f"{SITEMAP}url")]
    assert locations and all(loc.startswith("https://solidarity.example.org/") for loc in locations)
