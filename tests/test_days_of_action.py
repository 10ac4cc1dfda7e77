"""Days of action: events organisers add or approve, proposed by anyone through a form that
publishes nothing and shows no address; /events/ by country and city with the past as the
campaign's record; each appeal and case page with its upcoming events; an iCalendar file per
event and a calendar feed (read back with a real parser), an Atom feed; the demo events from
the documents."""

import datetime
import time
import xml.etree.ElementTree as ET
import zoneinfo

import icalendar
import pytest
from django.core import signing
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import Event
from petitions.forms import STARTED_SALT
from prisoners.models import CaseEvent

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


@pytest.fixture
def make_event(db):
    def make(**fields):
        fields.setdefault("title", "Picket at the Kazakhstan embassy")
        fields.setdefault("kind", Event.Kind.PICKET)
        fields.setdefault("date", in_days(10))
        fields.setdefault("start_time", datetime.time(12, 0))
        fields.setdefault("time_zone", "Europe/London")
        fields.setdefault("country", "GB")
        fields.setdefault("city", "London")
        fields.setdefault("status", Event.Status.APPROVED)
        fields.setdefault("approved_at", timezone.now())
        return Event.objects.create(**fields)

    return make


def proposal(**fields):
    values = {
        "title": "Vigil for Roza Tuletaeva",
        "kind": "vigil",
        "date": in_days(20).isoformat(),
        "start_time": "18:30",
        "end_time": "20:00",
        "time_zone": "Europe/Berlin",
        "country": "DE",
        "city": "Berlin",
        "address": "Outside the embassy",
        "summary": "Candles and leaflets.",
        "contact": "Example branch, branch@example.org",
        "proposed_by": "Example Trades Council",
        "proposer_email": "secretary@example.org",
        "proposer_note": "Call me first.",
        "website": "",
        "started": signing.dumps(time.time() - 60, salt=STARTED_SALT),
    }
    values.update(fields)
    return {k: v for k, v in values.items() if v is not None}


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


# The model --------------------------------------------------------------------------------


def test_an_event_keeps_the_exact_moment_and_shows_the_local_time_with_its_zone(make_event):
    event = make_event(date=datetime.date(2026, 7, 1), start_time=datetime.time(12), end_time=datetime.time(14))
    # Noon in London in summer is 11:00 UTC.
    assert event.starts_at == datetime.datetime(2026, 7, 1, 11, 0, tzinfo=datetime.UTC)
    assert event.ends_at == datetime.datetime(2026, 7, 1, 13, 0, tzinfo=datetime.UTC)
    assert event.when_display == "1 July 2026, 12:00–14:00 (Europe/London)"
    almaty = make_event(date=datetime.date(2026, 12, 16), start_time=datetime.time(11), time_zone="Asia/Almaty")
    assert almaty.starts_at.astimezone(zoneinfo.ZoneInfo("Asia/Almaty")).hour == 11
    assert almaty.starts_at.astimezone(datetime.UTC).hour in (5, 6)  # UTC+5 or +6, as the zone has it


def test_an_event_without_a_time_is_upcoming_for_its_whole_day(make_event):
    event = make_event(date=timezone.localdate(), start_time=None, time_zone="UTC")
    assert event.when_display == timezone.localdate().strftime("%-d %B %Y")
    assert list(Event.objects.upcoming()) == [event]


def test_a_proposed_event_is_nowhere_public(client, make_event):
    event = make_event(status=Event.Status.PROPOSED, title="Not yet checked", approved_at=None)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:ics", args=[event.pk])).status_code == 404
    for url in (reverse("events:list"), reverse("events:feed"), reverse("events:calendar")):
        assert "Not yet checked" not in client.get(url).content.decode(), url


# The list --------------------------------------------------------------------------------


def test_the_list_groups_upcoming_events_by_country_and_city_and_keeps_the_past_as_a_record(client, make_event):
    make_event(title="London picket", country="GB", city="London")
    make_event(title="Leeds meeting", kind="meeting", country="GB", city="Leeds")
    make_event(title="Berlin vigil", kind="vigil", country="DE", city="Berlin", time_zone="Europe/Berlin")
    make_event(title="Online letter evening", kind="online", country="", city="", online_url="https://meet.example")
    make_event(title="An old picket", date=datetime.date(2012, 12, 16), source_note="A report, 2012.")
    page = client.get(reverse("events:list")).content.decode()
    # Countries in alphabetical order (Germany, United Kingdom), online last; cities inside.
    order = [page.index(text) for text in ("Germany", "Berlin vigil", "United Kingdom", "Leeds", "London picket")]
    assert order == sorted(order)
    assert page.index("Online and in several places") < page.index("Online letter evening")
    assert page.index("Online letter evening") < page.index("The campaign’s record") < page.index("An old picket")


def test_the_list_is_in_the_main_menu_in_every_language(client):
    for prefix, name in (("", "Days of action"), ("/ru", "Дни действий"), ("/kk", "Іс-қимыл күндері")):
        page = client.get(f"{prefix}/").content.decode()
        assert f'href="{prefix}/events/"' in page and name in page, prefix
        assert client.get(f"{prefix}/events/").status_code == 200


def test_the_campaign_calendar_shows_the_zhanaozen_anniversary_and_upcoming_trials(client, make_prisoner):
    prisoner = make_prisoner(name="Roza Tuletaeva")
    CaseEvent.objects.create(prisoner=prisoner, date=in_days(30), kind="trial", text="Appeal hearing in Aktau.")
    page = client.get(reverse("events:list")).content.decode()
    assert "Anniversary of the Zhanaozen massacre" in page
    assert "16 December" in page
    assert "Trial: Roza Tuletaeva" in page


# Appeal and case pages -------------------------------------------------------------------


def test_an_appeal_page_and_a_case_page_show_their_upcoming_events(client, make_event, make_appeal, make_prisoner):
    prisoner = make_prisoner()
    appeal = make_appeal()
    appeal.prisoners.add(prisoner)
    make_event(title="Picket for the appeal", appeal=appeal)
    make_event(title="Vigil for the case", prisoner=prisoner)
    make_event(title="Past picket", appeal=appeal, date=datetime.date(2012, 1, 1))
    make_event(title="Someone else's", prisoner=make_prisoner())
    appeal_page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Picket for the appeal" in appeal_page and "Past picket" not in appeal_page
    case_page = client.get(prisoner.get_absolute_url()).content.decode()
    # The case's own, and its appeal's.
    assert "Vigil for the case" in case_page and "Picket for the appeal" in case_page
    assert "Someone else" not in case_page and "Past picket" not in case_page


def count_queries(client, url):
    # Of a page drawn from nothing kept: no page (lib/pagecache.py), no case fragments.
    for kept in ("pages", "fragments"):
        caches[kept].clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_appeal_and_case_pages_cost_the_same_with_one_or_many_events(client, make_event, make_appeal, make_prisoner):
    prisoner = make_prisoner()
    appeal = make_appeal()
    appeal.prisoners.add(prisoner)
    make_event(appeal=appeal, prisoner=prisoner)
    few = (count_queries(client, appeal.get_absolute_url()), count_queries(client, prisoner.get_absolute_url()))
    for i in range(10):
        make_event(appeal=appeal, prisoner=prisoner, title=f"Event {i}")
    many = (count_queries(client, appeal.get_absolute_url()), count_queries(client, prisoner.get_absolute_url()))
    assert few == many


# iCalendar -------------------------------------------------------------------------------


def test_each_event_has_an_icalendar_file_with_its_local_time_and_zone(client, make_event):
    event = make_event(
        title="Picket at the Chamber of Commerce",
        date=datetime.date(2026, 12, 21),
        start_time=datetime.time(12),
        end_time=datetime.time(13, 30),
        address="62 South Audley Street",
    )
    calendar = parse(client.get(reverse("events:ics", args=[event.pk])))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Picket at the Chamber of Commerce"
    start = vevent.decoded("DTSTART")
    assert start == datetime.datetime(2026, 12, 21, 12, tzinfo=zoneinfo.ZoneInfo("Europe/London"))
    assert vevent["DTSTART"].params["TZID"] == "Europe/London"
    assert vevent.decoded("DTEND") - start == datetime.timedelta(minutes=90)
    assert "62 South Audley Street" in str(vevent["LOCATION"])
    assert str(vevent["URL"]).endswith(event.get_absolute_url())
    assert str(vevent["UID"]).startswith(f"event-{event.pk}@")
    # The zone the event names is described in the file itself (RFC 5545, 3.6.5).
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]


def test_an_event_without_a_time_is_a_whole_day_in_the_calendar(client, make_event):
    event = make_event(date=datetime.date(2014, 12, 16), start_time=None, time_zone="UTC")
    [vevent] = parse(client.get(reverse("events:ics", args=[event.pk]))).walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime.date(2014, 12, 16)
    assert vevent.decoded("DTEND") == datetime.date(2014, 12, 17)


@pytest.mark.parametrize(
    ("prefix", "title", "anniversary"),
    [
        ("", "Picket", "Anniversary of the Zhanaozen massacre"),
        ("/ru", "Пикет", "Годовщина бойни в Жанаозене"),
        ("/kk", "Пикет", "Жаңаөзен қырғынының жылдығы"),
    ],
)
def test_the_calendar_feed_is_in_each_language(client, make_event, prefix, title, anniversary):
    event = make_event(title_en="Picket", title_ru="Пикет", title_kk="Пикет")
    calendar = parse(client.get(f"{prefix}/events/calendar.ics"))
    summaries = {str(v["UID"]).split("@")[0]: str(v["SUMMARY"]) for v in calendar.walk("VEVENT")}
    assert summaries[f"event-{event.pk}"] == title
    assert summaries["zhanaozen-anniversary"] == anniversary
    [vevent] = parse(client.get(f"{prefix}/events/{event.pk}/event.ics")).walk("VEVENT")
    assert str(vevent["URL"]).endswith(f"{prefix}/events/{event.pk}/")


def test_the_calendar_feed_has_the_anniversary_every_year_and_the_trial_dates(client, make_prisoner, make_event):
    prisoner = make_prisoner(name="Roza Tuletaeva")
    trial = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2012, 6, 4), kind="trial", text="Verdict.")
    CaseEvent.objects.create(
        prisoner=prisoner, date=datetime.date(2012, 8, 1), precision="month", kind="trial", text="?"
    )
    CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2012, 9, 1), kind="transfer", text="Moved.")
    hidden = make_prisoner(name="Draft case", is_published=False)
    CaseEvent.objects.create(prisoner=hidden, date=datetime.date(2013, 1, 1), kind="trial", text="Hidden.")
    cancelled = make_event(title="Called off", status=Event.Status.CANCELLED)
    calendar = parse(client.get(reverse("events:calendar")))
    vevents = {str(v["UID"]).split("@")[0]: v for v in calendar.walk("VEVENT")}
    anniversary = vevents["zhanaozen-anniversary"]
    assert anniversary.decoded("DTSTART") == datetime.date(2011, 12, 16)
    assert anniversary["RRULE"]["FREQ"] == ["YEARLY"]
    # Only trials, to the day, of published cases.
    trials = [uid for uid in vevents if uid.startswith("trial-")]
    assert trials == [f"trial-{trial.pk}"]
    assert str(vevents[f"trial-{trial.pk}"]["SUMMARY"]) == "Trial: Roza Tuletaeva"
    assert vevents[f"trial-{trial.pk}"].decoded("DTSTART") == datetime.date(2012, 6, 4)
    # A cancelled event stays, marked, so that a subscriber's calendar drops it.
    assert str(vevents[f"event-{cancelled.pk}"]["STATUS"]) == "CANCELLED"


# Atom -----------------------------------------------------------------------------------


def test_the_atom_feed_gives_new_events_newest_approved_first(client, make_event):
    older = make_event(title="First", approved_at=timezone.now() - datetime.timedelta(days=2))
    newer = make_event(title="Second", approved_at=timezone.now())
    make_event(title="Proposed", status=Event.Status.PROPOSED, approved_at=None, proposer_email="x@example.org")
    response = client.get(reverse("events:feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
    assert len(titles) == 2 and titles[0].endswith("Second") and titles[1].endswith("First")
    for element in [root, *root.findall(f"{ATOM}entry")]:
        for name in ("id", "title", "updated"):
            assert len(element.findall(f"{ATOM}{name}")) == 1
    links = [entry.find(f"{ATOM}link").get("href") for entry in root.findall(f"{ATOM}entry")]
    assert links[0].endswith(newer.get_absolute_url()) and links[1].endswith(older.get_absolute_url())
    assert b"x@example.org" not in response.content


# Proposing an event ----------------------------------------------------------------------


def test_a_supporter_proposes_an_event_and_nothing_is_public_until_an_organiser_approves_it(client, organiser_client):
    from django.test import Client

    visitor = Client()
    response = visitor.post(reverse("events:propose"), proposal())
    assert response.status_code == 302 and response["Location"] == reverse("events:proposed")
    event = Event.objects.get()
    assert event.status == Event.Status.PROPOSED
    assert event.proposer_email == "secretary@example.org"
    assert event.starts_at == datetime.datetime.combine(
        in_days(20), datetime.time(18, 30), zoneinfo.ZoneInfo("Europe/Berlin")
    )
    assert visitor.get(event.get_absolute_url()).status_code == 404
    assert "Vigil for Roza Tuletaeva" not in visitor.get(reverse("events:list")).content.decode()

    organiser_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "approve", "_selected_action": [event.pk]},
    )
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED and event.approved_at
    # The address was only for writing back about the proposal.
    assert event.proposer_email == ""
    page = visitor.get(event.get_absolute_url()).content.decode()
    assert "Vigil for Roza Tuletaeva" in page and "18:30–20:00 (Europe/Berlin)" in page
    assert "Example branch, branch@example.org" in page  # the public contact they chose
    for url in (event.get_absolute_url(), reverse("events:list"), reverse("events:feed"), reverse("events:calendar")):
        body = visitor.get(url).content.decode()
        assert "secretary@example.org" not in body and "Call me first" not in body, url


def test_the_proposers_address_is_never_in_the_change_history():
    Event.objects.create(title="x", date=in_days(3), proposer_email="secret@example.org")
    assert "proposer_email" not in [field.name for field in Event.history.model._meta.get_fields()]


def test_a_proposal_in_russian_is_kept_as_russian_text(client):
    client.post(f"/ru{reverse('events:propose')}", proposal(title="Пикет у посольства"))
    event = Event.objects.get()
    assert event.title_ru == "Пикет у посольства" and not event.title_en
    # Not public before someone writes its English title: the pages fall back to English.
    with pytest.raises(services.NeedsEnglishTitle):
        services.decide(event, Event.Status.APPROVED)


def test_an_editor_cannot_approve_and_never_sees_the_proposers_address(client, editor, make_event):
    event = make_event(status=Event.Status.PROPOSED, approved_at=None, proposer_email="secretary@example.org")
    client.force_login(editor)
    change = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert change.status_code == 200
    assert "secretary@example.org" not in change.content.decode()
    changelist = client.get(reverse("admin:events_event_changelist")).content.decode()
    assert 'value="approve"' not in changelist
    client.post(reverse("admin:events_event_changelist"), {"action": "approve", "_selected_action": [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.PROPOSED


def test_cancelling_a_proposal_deletes_the_address_too(make_event):
    event = make_event(status=Event.Status.PROPOSED, approved_at=None, proposer_email="secretary@example.org")
    services.decide(event, Event.Status.CANCELLED)
    event.refresh_from_db()
    assert event.proposer_email == "" and event.status == Event.Status.CANCELLED


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "Please give the event a title."),
        ({"date": "16/12/2026"}, "date", "Please give the date as year-month-day, e.g. 2026-12-16."),
        ({"start_time": "", "end_time": "20:00"}, "start_time", "Give the time it starts too, or leave both empty."),
        ({"start_time": "20:00", "end_time": "19:00"}, "end_time", "It must end after it starts."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Please choose a time zone from the list."),
        ({"country": ""}, "country", "Please choose the country where it happens."),
        ({"kind": "online", "country": ""}, "online_url", "Give the link where people join the online action."),
        (
            {"proposer_email": ""},
            "proposer_email",
            "Please give your email address, so that the organisers can write back.",
        ),
        (
            {"proposer_email": "sec@gmial.com"},
            "proposer_email",
            "Did you mean sec@gmail.com? Choose below, or correct the address.",
        ),
    ],
)
def test_each_bad_field_of_a_proposal_gets_a_clear_message(client, fields, field, message):
    response = client.post(reverse("events:propose"), proposal(**fields))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert Event.objects.count() == 0


def test_a_note_over_its_limit_is_refused_with_its_length(client):
    response = client.post(reverse("events:propose"), proposal(proposer_note="x" * 1200))
    assert response.status_code == 400
    assert "This is 1200 characters long, and the limit is 1000." in response.context["form"].errors["proposer_note"][0]


def test_software_is_thanked_and_nothing_is_kept(client):
    for data in (
        proposal(website="http://spam.example"),
        proposal(started=signing.dumps(time.time(), salt=STARTED_SALT)),
    ):
        response = client.post(reverse("events:propose"), data)
        assert response.status_code == 302
    assert Event.objects.count() == 0


def test_proposals_from_one_network_are_limited_per_hour(client):
    from django.core.cache import cache

    cache.clear()
    for _ in range(5):
        assert client.post(reverse("events:propose"), proposal()).status_code == 302
    response = client.post(reverse("events:propose"), proposal())
    assert response.status_code == 429
    assert "Many proposals have come from your network" in response.content.decode()
    assert Event.objects.count() == 5


@pytest.mark.parametrize(
    ("prefix", "heading"),
    [("", "Propose a day of action"), ("/ru", "Предложить день действий"), ("/kk", "Іс-қимыл күнін ұсыну")],
)
def test_the_proposal_form_is_in_each_language(client, prefix, heading):
    page = client.get(f"{prefix}{reverse('events:propose')}")
    assert page.status_code == 200 and heading in page.content.decode()


# Demo content ----------------------------------------------------------------------------


def test_the_demo_has_the_past_events_of_the_documents_each_citing_its_document(client):
    call_command("load_demo")
    london = Event.objects.get(key="london-2011-12-21")
    assert london.date == datetime.date(2011, 12, 21) and london.start_time == datetime.time(12)
    assert london.time_zone == "Europe/London" and london.end_time is None and london.contact == ""
    assert "62 South Audley Street" in london.address and "Kazakh-British Chamber of Commerce" in london.address
    assert london.country == "GB" and london.city == "London"
    assert "(London, Dec. 21)" in london.source_note
    embassies = Event.objects.get(key="embassies-2014-12-16")
    assert embassies.date == datetime.date(2014, 12, 16) and embassies.start_time is None
    assert embassies.country == "" and embassies.city == ""  # the call names no place
    assert "8 December 2014" in embassies.source_note
    assert embassies.appeal.slug == "zhanaozen-third-anniversary"
    page = client.get(reverse("events:list")).content.decode()
    assert page.index("The campaign’s record") < page.index(london.title)
    assert client.get(london.get_absolute_url()).status_code == 200
    ru = client.get(f"/ru{london.get_absolute_url()}").content.decode()
    assert "Демонстрация в Лондоне" in ru
    # Loading again creates nothing twice.
    call_command("load_demo")
    assert Event.objects.filter(key__isnull=False).count() == 2


def test_an_organiser_adds_an_event_in_the_admin_in_its_local_time(organiser_client):
    add = reverse("admin:events_event_add")
    page = organiser_client.get(add)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="title_en"' in html and 'name="title_ru"' in html and 'name="title_kk"' in html
    response = organiser_client.post(
        add,
        {
            "title_en": "Vigil in Almaty",
            "title_ru": "",
            "title_kk": "",
            "kind": "vigil",
            "status": "approved",
            "date": "2030-12-16",
            "start_time": "11:00",
            "end_time": "",
            "time_zone": "Asia/Almaty",
            "country": "KZ",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get()
    assert event.status == Event.Status.APPROVED and event.approved_at
    assert event.starts_at == datetime.datetime(2030, 12, 16, 11, tzinfo=zoneinfo.ZoneInfo("Asia/Almaty"))


def test_a_proposal_nobody_decided_on_loses_its_address_a_month_after_its_day(make_event):
    import io

    old = make_event(status=Event.Status.PROPOSED, date=in_days(-31), proposer_email="old@example.org")
    soon = make_event(status=Event.Status.PROPOSED, date=in_days(5), proposer_email="soon@example.org")
    call_command("forget_proposers", stdout=io.StringIO())
    old.refresh_from_db()
    soon.refresh_from_db()
    assert old.proposer_email == "" and soon.proposer_email == "soon@example.org"
