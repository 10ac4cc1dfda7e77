from django.apps import apps
from django.conf import settings
from django.core import checks

from .roles import PERSONAL_DATA_MODELS


@checks.register()
def personal_data_has_no_change_history(app_configs=None, labels=PERSONAL_DATA_MODELS, **kwargs):
    """A change history keeps every old version of a row: on signers' data it would keep
    the addresses that withdrawing a signature erases."""
    errors = []
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if getattr(model._meta, "simple_history_manager_attribute", None):
            errors.append(
                checks.Error(
                    f"{label} holds signers' personal data and must not keep a change history.",
                    hint="Remove its HistoricalRecords(); see PERSONAL_DATA_MODELS in campaign/roles.py.",
                    obj=model,
                    id="campaign.E001",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def signing_mail_leaves_the_request(app_configs=None, **kwargs):
    """Run inline, a new signature's confirmation mail is sent inside the request, and signing
    again with an address mailed in the last minutes sends none: how long the answer takes
    tells a stranger whether that address has signed (SECURITY.md)."""
    if settings.TASKS_BACKEND != "immediate":
        return []
    return [
        checks.Warning(
            "TASKS_BACKEND is 'immediate': mail to signers is sent inside the request, and the time "
            "an answer takes shows whether an address has signed.",
            hint="Set TASKS_BACKEND=database and run the worker (`manage.py email_worker`; docker compose does both).",
            id="campaign.W001",
        )
    ]
