import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import dashboard
from lib import charts
from prisoners.models import CaseEvent

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime.date(2026, 11, 1)


def days(n, counts):
    return [(DAY + datetime.timedelta(days=i), counts[i % len(counts)]) for i in range(n)]


def test_the_chart_draws_one_line_per_series_with_a_point_per_day():
    svg = charts.line_chart_svg(
        [("Free Roza", days(30, [0, 3, 10])), ("Free Vadim", days(30, [1]))], title="Signatures"
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Signatures"
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [30, 30]
    assert lines[0].get("stroke") != lines[1].get("stroke")


def test_the_highest_day_reaches_the_top_of_the_scale_and_zero_the_bottom():
    svg = charts.line_chart_svg([("Free Roza", days(3, [0, 10, 5]))], title="t")
    points = [tuple(map(float, p.split(","))) for p in ET.fromstring(svg).find(f"{SVG}polyline").get("points").split()]
    xs, ys = zip(*points, strict=True)
    assert xs[0] < xs[1] < xs[2]
    assert min(ys) == ys[1] and max(ys) == ys[0]
    labels = [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]
    assert "10" in labels and "0" in labels


def test_the_scale_rounds_up_to_a_readable_number():
    assert [charts._nice_ceiling(n) for n in (1, 3, 7, 11, 240, 1001)] == [1, 5, 10, 20, 500, 2000]


def test_the_chart_escapes_titles_and_uses_no_style_or_script():
    svg = str(charts.line_chart_svg([("<script>alert(1)</script>", days(5, [2]))], title="a & b"))
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "style" not in svg


def test_nothing_to_draw_gives_no_chart():
    assert charts.line_chart_svg([], title="t") == ""
    assert charts.line_chart_svg([("Empty", [])], title="t") == ""


@pytest.mark.django_db
def test_daily_counts_fill_the_days_without_rows_with_zero(make_prisoner):
    roza = make_prisoner(name="Roza")
    CaseEvent.objects.create(prisoner=roza, date=DAY, text="a")
    CaseEvent.objects.create(prisoner=roza, date=DAY, text="b")
    CaseEvent.objects.create(prisoner=roza, date=DAY + datetime.timedelta(days=2), text="c")
    CaseEvent.objects.create(prisoner=roza, date=DAY + datetime.timedelta(days=9), text="outside")
    counts = charts.daily_counts(
        CaseEvent.objects.all(), "date", "prisoner__name", DAY, DAY + datetime.timedelta(days=3)
    )
    assert counts == {"Roza": [(DAY + datetime.timedelta(days=i), n) for i, n in enumerate([2, 0, 1, 0])]}


@pytest.mark.django_db
def test_upcoming_dates_bring_together_trials_releases_deadlines_and_anniversaries(make_prisoner):
    held = make_prisoner(name="Vadim Kuramshin", status="sentenced", expected_release_on=datetime.date(2027, 1, 10))
    make_prisoner(name="Freed", status="released", expected_release_on=datetime.date(2026, 12, 1))
    CaseEvent.objects.create(prisoner=held, date=datetime.date(2026, 11, 20), kind="trial", text="Appeal hearing")
    CaseEvent.objects.create(prisoner=held, date=datetime.date(2012, 12, 1), kind="trial", text="Old trial")
    CaseEvent.objects.create(prisoner=held, date=datetime.date(2027, 6, 1), kind="parole", text="Too far")
    entries = dashboard.upcoming_dates(DAY)
    texts = [(entry.date, str(entry.kind), entry.text) for entry in entries]
    assert texts == [
        (datetime.date(2026, 11, 20), "Trial", "Vadim Kuramshin: Appeal hearing"),
        (datetime.date(2026, 12, 16), "Anniversary", "Anniversary of the Zhanaozen massacre (16 December 2011)"),
        (datetime.date(2027, 1, 10), "Expected release", "Vadim Kuramshin"),
    ]
    assert entries[0].url == reverse("admin:prisoners_prisoner_change", args=[held.pk])


def test_anniversaries_are_found_across_the_new_year():
    found = dashboard.anniversaries(datetime.date(2026, 12, 1), datetime.date(2027, 6, 1))
    assert [entry.date for entry in found] == [datetime.date(2026, 12, 16), datetime.date(2027, 5, 26)]


@pytest.mark.django_db
def test_the_admin_index_shows_the_dashboard_above_the_app_list(organiser_client, make_prisoner):
    prisoner = make_prisoner(name="Maksat Dosmagambetov")
    soon = datetime.date.today() + datetime.timedelta(days=5)
    CaseEvent.objects.create(prisoner=prisoner, date=soon, kind="trial", text="Hearing in Aktau")
    html = organiser_client.get(reverse("admin:index")).content.decode()
    for heading in ["Signatures per day", "Letters sent per appeal", "Signatures waiting for review", "Coming up"]:
        assert heading in html
    assert "Maksat Dosmagambetov: Hearing in Aktau" in html
    assert html.index("Coming up") < html.index('id="content-main"') + html[html.index('id="content-main"') :].index(
        "app-prisoners"
    )
    dashboard_html = html.split('<div class="workspace-dashboard">')[1].split("app-prisoners")[0]
    assert " style=" not in dashboard_html and "<script" not in dashboard_html


@pytest.mark.django_db
def test_the_dashboard_costs_the_same_queries_with_few_or_many_cases(organiser_client, make_prisoner):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert organiser_client.get(reverse("admin:index")).status_code == 200
        return len(ctx.captured_queries)

    soon = datetime.date.today() + datetime.timedelta(days=3)

    def add(n):
        for _ in range(n):
            prisoner = make_prisoner(status="sentenced", expected_release_on=soon)
            CaseEvent.objects.create(prisoner=prisoner, date=soon, kind="trial", text="Hearing")

    add(2)
    few = queries()
    add(40)
    assert queries() == few


@pytest.mark.django_db
def test_daily_counts_of_a_timestamp_count_by_the_day_it_falls_on(make_prisoner):
    from prisoners.models import Prisoner

    stamps = ["2026-11-01T00:10:00Z", "2026-11-01T23:50:00Z", "2026-11-03T12:00:00Z"]
    for stamp in stamps:
        Prisoner.objects.filter(pk=make_prisoner(status="sentenced").pk).update(created_at=stamp)
    Prisoner.objects.filter(pk=make_prisoner(status="released").pk).update(created_at=stamps[2])
    counts = charts.daily_counts(Prisoner.objects.all(), "created_at", "status", DAY, DAY + datetime.timedelta(days=2))
    dates = [DAY + datetime.timedelta(days=i) for i in range(3)]
    assert counts == {
        "released": list(zip(dates, [0, 0, 1], strict=True)),
        "sentenced": list(zip(dates, [2, 0, 1], strict=True)),
    }


@pytest.mark.django_db
def test_an_editor_sees_the_dashboard_too(client, editor):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "Coming up" in html
    assert "app-prisoners" in html and "app-auth" not in html
