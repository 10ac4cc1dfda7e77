from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("act/", views.more_ways_to_act, name="more_ways_to_act"),
    path("prisoners/", include("prisoners.urls")),
    path("appeals/", include("appeals.urls")),
    path("petitions/", include("petitions.urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", views.media, name="media"))

handler400 = "campaign.views.bad_request"
handler403 = "campaign.views.permission_denied"
handler404 = "campaign.views.page_not_found"
handler500 = "campaign.views.server_error"
