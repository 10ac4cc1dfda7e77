import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from petitions import services
from petitions.models import Signature

pytestmark = pytest.mark.django_db


def test_unconfirmed_signatures_older_than_the_retention_are_deleted(make_petition, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 14
    petition = make_petition()
    now = timezone.now()
    old = Signature.objects.create(
        petition=petition, name="Old", email="o@example.org", email_hash="o", created_at=now - datetime.timedelta(15)
    )
    recent = Signature.objects.create(
        petition=petition, name="Recent", email="r@example.org", email_hash="r", created_at=now - datetime.timedelta(13)
    )
    confirmed = Signature.objects.create(
        petition=petition, name="Kept", email_hash="k", created_at=now - datetime.timedelta(400)
    )
    services.confirm(confirmed)
    out = io.StringIO()
    call_command("purge_signatures", stdout=out)
    assert "Deleted 1 unconfirmed signature" in out.getvalue()
    assert set(Signature.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not Signature.objects.filter(pk=old.pk).exists()
    assert petition.confirmed_count() == 1


def test_the_retention_can_be_given_on_the_command_line_and_must_be_sensible(make_petition):
    petition = make_petition()
    Signature.objects.create(
        petition=petition, name="x", email_hash="x", created_at=timezone.now() - datetime.timedelta(3)
    )
    call_command("purge_signatures", "--days", "2", stdout=io.StringIO())
    assert Signature.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("purge_signatures", "--days", "0")
