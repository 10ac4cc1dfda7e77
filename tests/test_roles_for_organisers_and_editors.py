import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from campaign.roles import (
    EDITOR,
    ORGANISER,
    PERSONAL_DATA_MODELS,
    PERSONAL_DATA_PERMISSIONS,
    requires_permission,
    requires_signer_data,
    sync_role_permissions,
)
from prisoners.models import Prisoner

pytestmark = pytest.mark.django_db


def changelist(label):
    app_label, model_name = label.split(".")
    return reverse(f"admin:{app_label}_{model_name}_changelist")


def test_the_migration_creates_both_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Organiser", "Editor"}


def test_an_editor_edits_case_files_in_the_admin(client, editor, make_prisoner):
    prisoner = make_prisoner()
    client.force_login(editor)
    assert client.get(reverse("admin:prisoners_prisoner_changelist")).status_code == 200
    assert client.get(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])).status_code == 200
    assert client.get(reverse("admin:prisoners_prisoner_add")).status_code == 200
    assert editor.has_perms(["prisoners.change_prisoner", "prisoners.delete_caseevent", "prisoners.add_charge"])


@pytest.mark.parametrize(
    "label",
    ["auth.user", "auth.group", "axes.accessattempt", "otp_totp.totpdevice", "otp_static.staticdevice"],
)
def test_an_editor_gets_403_on_accounts_lockouts_and_authenticators(client, editor, label):
    client.force_login(editor)
    assert client.get(changelist(label)).status_code == 403


@pytest.mark.parametrize("label", PERSONAL_DATA_MODELS)
def test_an_editor_gets_403_on_signers_personal_data_and_an_organiser_does_not(client, editor, organiser_member, label):
    client.force_login(editor)
    assert client.get(changelist(label)).status_code == 403
    client.force_login(organiser_member)
    assert client.get(changelist(label)).status_code == 200


@pytest.mark.parametrize("permission", PERSONAL_DATA_PERMISSIONS)
def test_an_editor_never_holds_an_export_or_hand_over_permission(editor, organiser_member, permission):
    app_label, codename = permission.split(".")
    assert Permission.objects.filter(content_type__app_label=app_label, codename=codename).exists()
    assert not editor.has_perm(permission)
    assert organiser_member.has_perm(permission)


def test_the_rules_keep_personal_data_and_its_history_from_editors():
    for model in ["signature", "historicalsignature", "paperbatch"]:
        assert not EDITOR.allows("petitions", model, f"view_{model}")
        assert ORGANISER.allows("petitions", model, f"view_{model}")
    assert EDITOR.allows("petitions", "petition", "change_petition")
    assert EDITOR.allows("appeals", "appeal", "add_appeal")
    assert not EDITOR.allows("petitions", "petition", "export_signatures")
    assert not EDITOR.allows("auth", "user", "change_user")
    assert not ORGANISER.allows("auth", "user", "change_user")
    assert ORGANISER.allows("axes", "accessattempt", "delete_accessattempt")
    assert not ORGANISER.allows("axes", "accessattempt", "add_accessattempt")


@pytest.mark.parametrize("label", ["otp_totp.totpdevice", "otp_static.staticdevice", "auth.user"])
def test_an_organiser_cannot_see_anyones_authenticator_secrets_or_accounts(client, organiser_member, label):
    client.force_login(organiser_member)
    assert client.get(changelist(label)).status_code == 403


def test_an_organiser_can_lift_a_lockout_from_the_admin(client, organiser_member):
    client.force_login(organiser_member)
    assert client.get(changelist("axes.accessattempt")).status_code == 200
    assert organiser_member.has_perm("axes.delete_accessattempt")


def test_a_custom_permission_added_later_goes_to_organisers_only(editor, organiser_member):
    content_type = ContentType.objects.get_for_model(Prisoner)
    Permission.objects.create(codename="export_case_files", name="Can export case files", content_type=content_type)
    sync_role_permissions(apps.get_app_config("prisoners"))
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache
    organiser_member = type(organiser_member).objects.get(pk=organiser_member.pk)
    assert organiser_member.has_perm("prisoners.export_case_files")
    assert not editor.has_perm("prisoners.export_case_files")


def test_a_permission_ticked_by_hand_is_taken_back_at_the_next_migrate(editor):
    group = Group.objects.get(name="Editor")
    group.permissions.add(Permission.objects.get(codename="view_user", content_type__app_label="auth"))
    sync_role_permissions()
    assert not group.permissions.filter(codename="view_user").exists()
    assert group.permissions.filter(codename="change_prisoner").exists()


def _view(request):
    return HttpResponse("signers")


def _request(user):
    request = RequestFactory().get("/petitions/x/export/")
    request.user = user
    user.is_verified = lambda: False
    return request


def test_a_view_that_needs_signer_data_refuses_an_editor(editor, organiser):
    with pytest.raises(PermissionDenied):
        requires_signer_data(_view)(_request(editor))
    assert requires_signer_data(_view)(_request(organiser)).status_code == 200


def test_a_view_that_needs_a_permission_sends_a_visitor_to_the_login():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/petitions/x/export/")
    request.user = AnonymousUser()
    response = requires_permission("prisoners.view_prisoner")(_view)(request)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_a_view_that_needs_a_permission_asks_staff_for_the_second_factor_first(settings, organiser):
    settings.REQUIRE_2FA = True
    response = requires_signer_data(_view)(_request(organiser))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:two_factor_enrol"))


def test_a_personal_data_model_with_a_change_history_fails_the_system_check():
    from campaign.checks import personal_data_has_no_change_history

    # Prisoner keeps a history: standing in for a signature model that would.
    errors = personal_data_has_no_change_history(labels=["prisoners.prisoner", "prisoners.charge", "no.such"])
    assert [error.id for error in errors] == ["campaign.E001", "campaign.E001"]
    assert not [e for e in personal_data_has_no_change_history() if e.id == "campaign.E001"]
