import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appeals.models import Appeal, LetterSent, Target

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Appeal, Target, LetterSent])
def test_an_organiser_sees_the_changelist_and_add_form(organiser_client, make_appeal, model):
    appeal = make_appeal()
    LetterSent.objects.create(appeal=appeal, channel="post", country="FR")
    meta = model._meta
    assert organiser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    assert organiser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200


def test_the_appeal_change_form_has_inlines_and_a_preview_link(organiser_client, make_appeal):
    appeal = make_appeal()
    page = organiser_client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).content.decode()
    assert "demands-TOTAL_FORMS" in page and "recipients-TOTAL_FORMS" in page and "letters-TOTAL_FORMS" in page
    assert reverse("admin:appeals_appeal_preview", args=[appeal.pk]) in page
    assert "{sender_organisation}" in page  # the placeholders are documented on the form


def appeal_form(**overrides):
    target = Target.objects.create(kind="company", name="KazMunayGaz", email="info@kmg.kz")
    copy = Target.objects.create(kind="other", name="editor@marxist.com", email="editor@marxist.com")
    data = {
        "title_en": "Free Natalia Sokolova",
        "slug": "free-natalia-sokolova",
        "status": "active",
        "summary_en": "Protest",
        "background": "",
        "source_note": "",
        "goes_to_embassy": "on",
        "demands-TOTAL_FORMS": "1",
        "demands-INITIAL_FORMS": "0",
        "demands-0-text_en": "Immediate release from prison of Natal'ya Sokolova.",
        "demands-0-position": "0",
        "recipients-TOTAL_FORMS": "2",
        "recipients-INITIAL_FORMS": "0",
        "recipients-0-role": "to",
        "recipients-0-target": str(target.pk),
        "recipients-0-position": "0",
        "recipients-1-role": "cc",
        "recipients-1-target": str(copy.pk),
        "recipients-1-position": "0",
        "letters-TOTAL_FORMS": "1",
        "letters-INITIAL_FORMS": "0",
        "letters-0-language": "en",
        "letters-0-subject": "Protest from {sender_name}",
        "letters-0-body": "{salutation}\n\nWe demand:\n{demands}\n\n{sender_name}",
    }
    return data | overrides


def test_an_organiser_adds_an_appeal_with_demands_recipients_and_a_letter(organiser_client):
    response = organiser_client.post(reverse("admin:appeals_appeal_add"), appeal_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    appeal = Appeal.objects.get(slug="free-natalia-sokolova")
    assert appeal.demands.get().text.startswith("Immediate release")
    assert [(r.role, r.target.name) for r in appeal.recipients.order_by("role")] == [
        ("cc", "editor@marxist.com"),
        ("to", "KazMunayGaz"),
    ]
    assert appeal.letters.get().subject == "Protest from {sender_name}"


def test_an_unknown_placeholder_is_refused_with_a_clear_error(organiser_client):
    data = appeal_form(**{"letters-0-body": "{salutation} {sender_nmae} {{demands}}"})
    response = organiser_client.post(reverse("admin:appeals_appeal_add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder: {sender_nmae}" in page
    assert not Appeal.objects.exists()


def test_the_preview_shows_the_letter_as_a_supporter_gets_it(organiser_client, make_appeal, make_embassy):
    make_embassy("GB", name="Embassy of Kazakhstan in London")
    appeal = make_appeal(demands=["Free Natalia Sokolova."], goes_to_embassy=True, status=Appeal.Status.DRAFT)
    response = organiser_client.get(reverse("admin:appeals_appeal_preview", args=[appeal.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "We, Alex Example, Example Trades Council, protest." in page
    assert "1. Free Natalia Sokolova." in page
    assert "Embassy of Kazakhstan in London" in page
    assert "supporters cannot write this letter now" in page
    page = organiser_client.get(reverse("admin:appeals_appeal_preview", args=[appeal.pk]), {"country": "BR"}).content
    assert b"No embassy for Brazil" in page


def test_the_preview_needs_an_organiser(client, make_appeal):
    response = client.get(reverse("admin:appeals_appeal_preview", args=[make_appeal().pk]))
    assert response.status_code == 302


def test_targets_are_searchable_and_filterable_by_country_and_kind(organiser_client, make_embassy):
    make_embassy("FR", name="Ambassade du Kazakhstan")
    make_embassy("DE", name="Botschaft der Republik Kasachstan")
    Target.objects.create(kind="company", name="KazMunayGaz")
    url = reverse("admin:appeals_target_changelist")
    page = organiser_client.get(url, {"country": "FR"}).content.decode()
    assert "Ambassade" in page and "Botschaft" not in page
    page = organiser_client.get(url, {"kind__exact": "company"}).content.decode()
    assert "KazMunayGaz" in page and "Ambassade" not in page
    page = organiser_client.get(url, {"q": "Botschaft"}).content.decode()
    assert "Botschaft" in page and "Ambassade" not in page


def upload(client, text, **extra):
    file = SimpleUploadedFile("embassies.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(reverse("admin:appeals_target_import"), {"file": file, **extra})


CSV_OK = (
    "country,name,postal_address,email,fax\n"
    'FR,Ambassade du Kazakhstan,"59 rue Example\nParis",kz.fr@example.org,+33 1 00\n'
    "Germany,Botschaft der Republik Kasachstan,,kz.de@example.org,\n"
)


def test_importing_embassies_shows_a_preview_then_creates_them_on_confirmation(organiser_client):
    response = upload(organiser_client, CSV_OK)
    page = response.content.decode()
    assert response.status_code == 200
    assert "will be added" in page and "Ambassade du Kazakhstan" in page
    assert not Target.objects.exists()
    csv_text = response.context["form"]["csv_text"].value()
    response = organiser_client.post(reverse("admin:appeals_target_import"), {"csv_text": csv_text, "confirm": "1"})
    assert response.status_code == 302
    embassies = {t.country.code: t for t in Target.objects.filter(kind="embassy")}
    assert set(embassies) == {"FR", "DE"}
    assert embassies["FR"].postal_address == "59 rue Example\nParis"


def test_importing_an_updated_list_updates_the_entries_already_in_the_directory(organiser_client, make_embassy):
    make_embassy("FR", name="Ambassade du Kazakhstan", email="old@example.org", postal_address="Old")
    from appeals.services import import_embassies, parse_embassy_csv

    rows, _errors = parse_embassy_csv(CSV_OK)
    assert rows[0].changes == ["postal_address", "email", "fax"]
    (created, updated, unchanged), _rows = import_embassies(CSV_OK)
    assert (created, updated, unchanged) == (1, 1, 0)
    assert Target.objects.get(country="FR").email == "kz.fr@example.org"
    (created, updated, unchanged), _rows = import_embassies(CSV_OK)
    assert (created, updated, unchanged) == (0, 0, 2)


def test_an_import_from_the_russian_admin_updates_the_english_texts_and_keeps_the_russian(make_embassy):
    from django.utils import translation

    from appeals.services import import_embassies

    make_embassy("FR", name="Ambassade du Kazakhstan", name_ru="Посольство Казахстана во Франции", postal_address="Old")
    with translation.override("ru"):
        (created, updated, unchanged), _rows = import_embassies(CSV_OK)
    assert (created, updated, unchanged) == (1, 1, 0)  # found by its English name, not added again
    embassy = Target.objects.get(country="FR")
    assert (embassy.name_en, embassy.name_ru) == ("Ambassade du Kazakhstan", "Посольство Казахстана во Франции")
    assert embassy.postal_address == "59 rue Example\nParis"


def test_a_csv_with_bad_rows_shows_each_error_and_imports_nothing(organiser_client):
    text = "country,name,email\nFR,Ambassade,not-an-email\nAtlantis,Embassy,\nDE,,kz.de@example.org\n"
    response = upload(organiser_client, text)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter a valid email address." in page
    assert "“Atlantis” is not a country we know" in page
    assert "name: This field is required." in page
    assert "Import these embassies" not in page
    response = organiser_client.post(reverse("admin:appeals_target_import"), {"csv_text": text, "confirm": "1"})
    assert response.status_code == 400
    assert not Target.objects.exists()


def test_a_csv_without_the_needed_columns_or_not_in_utf8_is_explained(organiser_client):
    page = upload(organiser_client, "land,naam\nFR,x\n").content.decode()
    assert "missing: country, name" in page
    file = SimpleUploadedFile("e.csv", "country,name\nFR,Ambassade é\n".encode("latin-1"))
    page = organiser_client.post(reverse("admin:appeals_target_import"), {"file": file}).content.decode()
    assert "not UTF-8" in page
    page = organiser_client.post(reverse("admin:appeals_target_import"), {}).content.decode()
    assert "Choose a CSV file." in page
