from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from . import translators, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]

# English at the root, as before the translations (so every address ever shared still
# works), Russian under /ru/ and Kazakh under /kk/. The admin too: organisers work in
# their own language.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("prisoners/", include("prisoners.urls")),
    path("appeals/", include("appeals.urls")),
    path("petitions/", include("petitions.urls")),
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
