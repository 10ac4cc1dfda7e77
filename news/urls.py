from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("alerts/<slug:slug>/", views.subscribe, name="subscribe"),
    path("alerts/<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
