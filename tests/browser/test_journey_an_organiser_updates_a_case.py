"""Journey 3: an organiser logs into admin, adds a timeline event to a prisoner, publishes
a new appeal, and finds both on the public site.

Appeals are not built yet: the journey adds the timeline event. When appeals land, add
"publishes a new appeal" here between the admin steps and the look at the public site.
"""

import pytest

pytestmark = pytest.mark.browser

NEW_EVENT = "Supporters' letters reached the colony; she wrote back to thank them."


def log_in_to_admin(page, username, password):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", name="Dashboard").is_visible()


def test_an_organiser_adds_a_timeline_event_that_supporters_then_read(page, demo_content, django_user_model):
    django_user_model.objects.create_superuser("organiser", "organiser@example.org", "a-long-pass-phrase")
    log_in_to_admin(page, "organiser", "a-long-pass-phrase")

    page.get_by_role("link", name="Prisoners", exact=True).click()
    page.get_by_role("searchbox").fill("Tuletaeva")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Roza Tuletaeva", exact=True).click()

    index = int(page.locator("#id_events-TOTAL_FORMS").input_value())
    page.get_by_role("button", name="Add another Timeline event").click()
    page.locator(f"#id_events-{index}-date").fill("2014-12-01")
    page.locator(f"#id_events-{index}-precision").select_option("month")
    page.locator(f"#id_events-{index}-kind").select_option("statement")
    page.locator(f"#id_events-{index}-text").fill(NEW_EVENT)
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.locator(".messagelist").inner_text()

    page.goto("/prisoners/roza-tuletaeva/")
    last_event = page.locator("ol.timeline > li").last
    assert NEW_EVENT in last_event.inner_text()
    assert "December 2014" in last_event.inner_text()
    assert "Statement" in last_event.inner_text()
