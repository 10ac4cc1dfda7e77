from django.urls import path

from . import views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    # Links from emails, before the petitions' own addresses so no slug can shadow them.
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("stop-updates/<str:token>/", views.stop_updates, name="stop_updates"),
    path("<slug:slug>/", views.petition_detail, name="detail"),
    path("<slug:slug>/sign/", views.petition_sign, name="sign"),
    path("<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("<slug:slug>/signers/", views.signers, name="signers"),
    path("<slug:slug>/count.json", views.count_json, name="count_json"),
    path("<slug:slug>/sheet.pdf", views.paper_sheet, name="sheet"),
]
