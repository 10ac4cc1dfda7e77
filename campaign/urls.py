from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

import appeals.views
import petitions.views

from . import translators, views
from .sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # One robots.txt and one sitemap for every language: the sitemap lists each page with
    # its Russian and Kazakh alternates.
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]

# English at the root, as before the translations (so every address ever shared still
# works), Russian under /ru/ and Kazakh under /kk/. The admin too: organisers work in
# their own language.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("act/", views.more_ways_to_act, name="more_ways_to_act"),
    path("prisoners/", include("prisoners.urls")),
    path("appeals/", include("appeals.urls")),
    path("petitions/", include("petitions.urls")),
    path("news/", include("news.urls")),
    path("events/", include("events.urls")),
    # Short addresses for posters and leaflets (/p/3, /ru/a/5): they redirect to the page.
    path("p/<int:pk>", petitions.views.short_link, name="petition_short"),
    path("a/<int:pk>", appeals.views.short_link, name="appeal_short"),
    # Before the admin's own URLs, whose app pages would otherwise take the address.
    path("admin/translations/", include(translators.urlpatterns)),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", views.media, name="media"))

handler400 = "campaign.views.bad_request"
handler403 = "campaign.views.permission_denied"
handler404 = "campaign.views.page_not_found"
handler500 = "campaign.views.server_error"
