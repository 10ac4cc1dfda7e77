"""How a letter opens and closes, for each kind of recipient, in each language.

A letter to a President does not open "Dear Sir or Madam": each kind of recipient has the
opening and closing its letters conventionally take in English, Russian and Kazakh. Russian
and Kazakh letters put «!» after the address, as letters in those languages do. Where a
language marks whether the recipient is a man or a woman (господин/госпожа, мырза/ханым),
the recipient's own form is used when the organiser has recorded it, and both forms when
not: a Kazakh «мырза» alone would assume a man.

An organiser's own salutation or closing on the Target, in a letter's language, wins over
these; a blank one falls back to them (the fields are read without modeltranslation's
fallback to English, so a Russian letter never opens with the English text).

Every text is translated with a context naming its kind and form, because one English
text ("Your Excellency,") is more than one text in Kazakh.
"""

from django.utils.translation import pgettext_lazy

from lib.translation import in_language

# Which defaults a kind of recipient takes. A consulate, a government office, a company
# written to as such and any other body are written to as an organisation: "Dear Sir or Madam".
HEAD_OF_STATE = "head_of_state"
AMBASSADOR = "ambassador"
MINISTER = "minister"
CHIEF_EXECUTIVE = "chief_executive"
ORGANISATION = "organisation"

ADDRESSEE = {
    "head_of_state": HEAD_OF_STATE,
    "embassy": AMBASSADOR,
    "minister": MINISTER,
    "chief_executive": CHIEF_EXECUTIVE,
}

MAN, WOMAN, NOT_KNOWN = "man", "woman", ""

SALUTATIONS = {
    HEAD_OF_STATE: {
        MAN: pgettext_lazy("salutation: head of state, a man", "Dear Mr President,"),
        WOMAN: pgettext_lazy("salutation: head of state, a woman", "Dear Madam President,"),
        NOT_KNOWN: pgettext_lazy("salutation: head of state, form not known", "Your Excellency,"),
    },
    AMBASSADOR: {
        MAN: pgettext_lazy("salutation: ambassador, a man", "Your Excellency,"),
        WOMAN: pgettext_lazy("salutation: ambassador, a woman", "Your Excellency,"),
        NOT_KNOWN: pgettext_lazy("salutation: ambassador, form not known", "Your Excellency,"),
    },
    MINISTER: {
        MAN: pgettext_lazy("salutation: minister, a man", "Dear Minister,"),
        WOMAN: pgettext_lazy("salutation: minister, a woman", "Dear Minister,"),
        NOT_KNOWN: pgettext_lazy("salutation: minister, form not known", "Dear Minister,"),
    },
    CHIEF_EXECUTIVE: {
        MAN: pgettext_lazy("salutation: chief executive, a man", "Dear Chief Executive,"),
        WOMAN: pgettext_lazy("salutation: chief executive, a woman", "Dear Chief Executive,"),
        NOT_KNOWN: pgettext_lazy("salutation: chief executive, form not known", "Dear Chief Executive,"),
    },
    ORGANISATION: {
        NOT_KNOWN: pgettext_lazy("salutation: organisation", "Dear Sir or Madam,"),
    },
}

# "Yours faithfully" after a salutation that names no one, "Yours sincerely" after one that
# names the office (Dear Minister); Russian and Kazakh add «глубоким»/«Терең» for the most
# formal addresses.
CLOSINGS = {
    HEAD_OF_STATE: pgettext_lazy("closing: head of state", "Yours sincerely,"),
    AMBASSADOR: pgettext_lazy("closing: ambassador", "Yours faithfully,"),
    MINISTER: pgettext_lazy("closing: minister", "Yours sincerely,"),
    CHIEF_EXECUTIVE: pgettext_lazy("closing: chief executive", "Yours sincerely,"),
    ORGANISATION: pgettext_lazy("closing: organisation", "Yours faithfully,"),
}


def addressee(kind):
    return ADDRESSEE.get(kind or "", ORGANISATION)


def default_salutation(kind, form=NOT_KNOWN):
    forms = SALUTATIONS[addressee(kind)]
    return forms.get(form or NOT_KNOWN, forms[NOT_KNOWN])


def default_closing(kind):
    return CLOSINGS[addressee(kind)]


def salutation_for(target, language):
    """The opening line of a letter in `language` to `target` (None: to no one named).
    Call it with `language` active: the default comes out in the active language."""
    if target is None:
        return str(default_salutation(None))
    own = in_language(target, "salutation", language).strip()
    return own or str(default_salutation(target.kind, target.form_of_address))


def closing_for(target, language):
    if target is None:
        return str(default_closing(None))
    own = in_language(target, "closing", language).strip()
    return own or str(default_closing(target.kind))
