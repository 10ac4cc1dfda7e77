import pytest
from django.urls import reverse

from petitions import services, views
from petitions.models import Signature

pytestmark = pytest.mark.django_db


def signature(petition, n, status="confirmed", public=True, **fields):
    email = f"signer{n}@example.org"
    fields.setdefault("country", "GB")
    created = Signature.objects.create(
        petition=petition,
        name=f"Signer {n}",
        email=email,
        email_hash=services.email_fingerprint(email),
        status="pending",
        public=public,
        **fields,
    )
    if status == "confirmed":
        services.confirm(created)
    elif status != "pending":
        services.set_status([created], status)
    return created


def test_only_confirmed_signers_who_agreed_are_listed_and_no_address_anywhere(client, make_petition):
    petition = make_petition()
    signature(petition, 1, town="Leeds", organisation="Unite", wants_updates=True)
    signature(petition, 2, public=False)
    signature(petition, 3, status="pending")
    signature(petition, 4, status="rejected")
    pages = [
        client.get(petition.get_absolute_url()).content.decode(),
        client.get(reverse("petitions:signers", args=[petition.slug])).content.decode(),
        client.get(reverse("petitions:count_json", args=[petition.slug])).content.decode(),
        client.get(reverse("petitions:list")).content.decode(),
    ]
    assert "Signer 1" in pages[0] and "Leeds" in pages[0] and "Unite" in pages[0]
    assert "Signer 1" in pages[1]
    for page in pages:
        assert "@example.org" not in page
        for hidden in ["Signer 2", "Signer 3", "Signer 4"]:
            assert hidden not in page


def test_the_page_shows_the_count_the_goal_and_signatures_by_country(client, make_petition):
    petition = make_petition(goal=4)
    for n, country in enumerate(["GB", "GB", "KZ"]):
        signature(petition, n, country=country)
    response = client.get(petition.get_absolute_url())
    page = response.content.decode()
    assert "3 signatures" in page and "of a goal of 4" in page
    assert response.context["by_country"] == [("United Kingdom", 2), ("Kazakhstan", 1)]
    assert 'value="3"' in page and 'max="4"' in page


def test_the_public_list_goes_page_by_page_newest_first(client, make_petition, monkeypatch):
    monkeypatch.setattr(views, "SIGNERS_PER_PAGE", 2)
    petition = make_petition()
    for n in range(5):
        signature(petition, n)
    url = reverse("petitions:signers", args=[petition.slug])
    names = []
    while url:
        response = client.get(url)
        names += [s.name for s in response.context["signers"]]
        url = (
            response.context["older_url"]
            and reverse("petitions:signers", args=[petition.slug]) + response.context["older_url"]
        )
    assert names == [f"Signer {n}" for n in reversed(range(5))]
    assert client.get(reverse("petitions:signers", args=[petition.slug]) + "?before=nonsense").status_code == 200


def test_a_petition_whose_signers_may_not_be_listed_lists_no_one(client, make_petition):
    petition = make_petition(list_signers=False)
    signature(petition, 1)
    for url in (petition.get_absolute_url(), reverse("petitions:signers", args=[petition.slug])):
        response = client.get(url)
        assert response.status_code == 200
        assert "Signer 1" not in response.content.decode()
    assert 'name="public"' not in client.get(petition.get_absolute_url()).content.decode()


def test_the_count_as_json_is_open_to_other_sites_and_cached_briefly(client, make_petition):
    petition = make_petition(goal=100)
    signature(petition, 1)
    response = client.get(reverse("petitions:count_json", args=[petition.slug]))
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=60"
    data = response.json()
    assert data["signatures"] == 1 and data["goal"] == 100 and data["petition"] == petition.slug
    assert data["url"].endswith(petition.get_absolute_url())
    signature(petition, 2)
    assert client.get(reverse("petitions:count_json", args=[petition.slug])).json()["signatures"] == 1  # cached


def test_no_count_for_drafts_or_unknown_petitions(client, make_petition):
    draft = make_petition(status="draft")
    assert client.get(reverse("petitions:count_json", args=[draft.slug])).status_code == 404
    assert client.get(reverse("petitions:count_json", args=["nope"])).status_code == 404


def test_petitions_are_listed_open_first_with_their_counts(client, make_petition):
    open_petition = make_petition(title="Still open")
    make_petition(title="Finished", status="closed")
    make_petition(title="Hidden draft", status="draft")
    signature(open_petition, 1)
    response = client.get(reverse("petitions:list"))
    assert [p.title for p in response.context["open"]] == ["Still open"]
    assert [p.title for p in response.context["finished"]] == ["Finished"]
    assert "Hidden draft" not in response.content.decode()
    assert "1 signature" in response.content.decode()


def test_the_home_page_and_case_pages_lead_to_the_petitions(client, make_petition, make_prisoner):
    prisoner = make_prisoner(name="Roza Tuletaeva", slug="roza")
    petition = make_petition(title="Review the oil workers' sentences")
    petition.prisoners.add(prisoner)
    make_petition(title="A closed one", status="closed")
    home = client.get(reverse("home")).content.decode()
    assert "Review the oil workers&#x27; sentences" in home and "A closed one" not in home
    case = client.get(prisoner.get_absolute_url()).content.decode()
    assert "Petitions about this case" in case and petition.get_absolute_url() in case


def test_the_manager_knows_which_signatures_count_and_which_signers_may_be_named(
    make_petition, django_assert_num_queries
):
    petition = make_petition()
    listed = signature(petition, 1)
    unlisted = signature(petition, 2, public=False)
    signature(petition, 3, status="pending")
    signature(petition, 4, status="rejected")
    signature(make_petition(), 5)  # another petition's

    mine = Signature.objects.filter(petition=petition)
    assert set(mine.confirmed()) == {listed, unlisted}
    assert list(Signature.objects.listed(petition)) == [listed]

    # A petition that lists nobody names nobody, whatever its signers ticked, and asks the
    # database nothing to say so.
    petition.list_signers = False
    with django_assert_num_queries(0):
        assert list(Signature.objects.listed(petition)) == []
