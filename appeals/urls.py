from django.urls import path

from . import feeds, views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("embassies/", views.embassy_list, name="embassies"),
    path("embassies/report/", views.directory_report, name="report"),
    path("<slug:slug>/", views.appeal_detail, name="detail"),
    path("<slug:slug>/letter/", views.appeal_letter, name="letter"),
    path("<slug:slug>/letter.txt", views.letter_download, {"fmt": "txt"}, name="letter_txt"),
    path("<slug:slug>/letter.pdf", views.letter_download, {"fmt": "pdf"}, name="letter_pdf"),
    path("<slug:slug>/sent/", views.letter_sent, name="sent"),
    path("<slug:slug>/sent/<str:token>/", views.letter_outcome, name="outcome"),
    path("<slug:slug>/feed.atom", feeds.AppealNewsFeed(), name="news_feed"),
    path("<slug:slug>/card.png", views.card, name="card"),
    path("<slug:slug>/poster.pdf", views.poster, name="poster"),
    path("feed.atom", feeds.NewAppealsFeed(), name="feed"),
]
