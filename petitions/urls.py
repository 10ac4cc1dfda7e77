from django.urls import path

from . import feeds, views

app_name = "petitions"
urlpatterns = [
    path("", views.petition_list, name="list"),
    path("feed.atom", feeds.NewPetitionsFeed(), name="feed"),
    # Links from emails, before the petitions' own addresses so no slug can shadow them.
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("withdraw/<str:token>/", views.withdraw, name="withdraw"),
    path("stop-updates/<str:token>/", views.stop_updates, name="stop_updates"),
    path("forget-me/", views.forget_request, name="forget"),
    path("forget-me/sent/", views.forget_sent, name="forget_sent"),
    path("forget-me/<str:token>/", views.forget_confirm, name="forget_confirm"),
    path("<slug:slug>/", views.petition_detail, name="detail"),
    path("<slug:slug>/sign/", views.petition_sign, name="sign"),
    path("<slug:slug>/check-your-email/", views.check_email, name="check_email"),
    path("<slug:slug>/signers/", views.signers, name="signers"),
    path("<slug:slug>/count.json", views.count_json, name="count_json"),
    path("<slug:slug>/sheet.pdf", views.paper_sheet, name="sheet"),
    path("<slug:slug>/feed.atom", feeds.PetitionNewsFeed(), name="news_feed"),
    path("<slug:slug>/card.png", views.card, name="card"),
    path("<slug:slug>/poster.pdf", views.poster, name="poster"),
    path("<slug:slug>/embed/", views.embed, name="embed"),
    path("<slug:slug>/embed/sign/", views.embed_sign, name="embed_sign"),
    path("<slug:slug>/embed/check-your-email/", views.embed_check_email, name="embed_check_email"),
]
