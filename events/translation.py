"""The events' texts in each language (lib/translation.py says how)."""

from lib.translation import translate

from .models import Event

# A proposer's address is never copied into the change history: deleting it from the event
# (services.decide) must delete it everywhere.
translate(Event, ["title", "summary", "city", "address", "source_note"], excluded_fields=["proposer_email"])
