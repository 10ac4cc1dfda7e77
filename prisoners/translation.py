"""The case file's texts in each language (lib/translation.py says how)."""

from lib.translation import translate

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner

# The list of sources is part of the case, so its changes are kept in the history too.
translate(
    Prisoner,
    ["name", "occupation", "affiliation", "town", "region", "sentence", "summary", "biography"],
    m2m_fields=["sources"],
)
translate(Charge, ["description"])
translate(CaseEvent, ["text"])
translate(PlaceOfDetention, ["name", "town", "region", "writing_notes"])
