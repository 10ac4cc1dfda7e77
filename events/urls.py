from django.urls import path

from . import feeds, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("feed.atom", feeds.NewEventsFeed(), name="feed"),
    path("calendar.ics", views.calendar_ics, name="calendar"),
    path("propose/", views.propose, name="propose"),
    path("propose/thank-you/", views.proposed, name="proposed"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
]
