from django.urls import path

from . import feeds, views

app_name = "prisoners"
urlpatterns = [
    path("", views.prisoner_list, name="list"),
    path("feed.atom", feeds.CaseNewsFeed(), name="feed"),
    path("<slug:slug>/", views.prisoner_detail, name="detail"),
    path("<slug:slug>/feed.atom", feeds.PrisonerNewsFeed(), name="prisoner_feed"),
    path("<slug:slug>/card.png", views.card, name="card"),
]
