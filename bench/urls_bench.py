"""The site's own URLs plus one bare view: the floor that bench/petition_signing.py
measures the petition pages against. Served only by bench/wsgi_bench.py."""

from django.http import HttpResponse
from django.urls import path

from campaign.urls import urlpatterns as site_urlpatterns


def bare(request):
    """Nothing but a response, behind the site's whole middleware stack (CSRF included,
    so a POST to it pays for the same token check as a signature)."""
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *site_urlpatterns]
