from django.apps import apps
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
