import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.test import RequestFactory
from django.urls import reverse

from lib.preview import visible_to
from prisoners.models import Prisoner

pytestmark = pytest.mark.django_db

BANNER = "Draft — not public."


def test_a_visitor_gets_404_for_a_draft_case(client, make_prisoner):
    draft = make_prisoner(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_an_organiser_sees_the_draft_as_the_public_will_under_a_banner(organiser_client, make_prisoner):
    draft = make_prisoner(name="Naryn Zharylgasynov", is_published=False, charges=1)
    response = organiser_client.get(draft.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert BANNER in html
    assert "Naryn Zharylgasynov" in html and "Organising mass disorder" in html
    assert reverse("admin:prisoners_prisoner_change", args=[draft.pk]) in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_published_case_has_no_banner_for_anyone(organiser_client, client, make_prisoner):
    published = make_prisoner()
    for visitor in (organiser_client, client):
        response = visitor.get(published.get_absolute_url())
        assert response.status_code == 200
        assert BANNER not in response.content.decode()


def test_an_editor_may_preview_too(client, editor, make_prisoner):
    draft = make_prisoner(is_published=False)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_staff_without_the_view_permission_get_404(client, django_user_model, make_prisoner):
    draft = make_prisoner(is_published=False)
    client.force_login(django_user_model.objects.create_user("helper", "h@example.org", "x", is_staff=True))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_staff_who_owe_the_second_factor_get_404(organiser_client, make_prisoner, settings):
    settings.REQUIRE_2FA = True
    draft = make_prisoner(is_published=False)
    assert organiser_client.get(draft.get_absolute_url()).status_code == 404


def test_drafts_never_appear_in_the_public_list_even_for_organisers(organiser_client, make_prisoner):
    make_prisoner(name="Draft Person", is_published=False)
    response = organiser_client.get(reverse("prisoners:list"))
    assert response.status_code == 200
    assert "Draft Person" not in response.content.decode()


def test_visible_to_filters_for_visitors_and_not_for_organisers(make_prisoner, organiser):
    published, draft = make_prisoner(), make_prisoner(is_published=False)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    assert list(visible_to(request, Prisoner.objects.all(), Q(is_published=True))) == [published]
    request.user = organiser
    organiser.is_verified = lambda: False
    assert set(visible_to(request, Prisoner.objects.all(), Q(is_published=True))) == {published, draft}
