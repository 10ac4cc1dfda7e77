"""Dates and numbers as each language writes them (FORMAT_MODULE_PATH). Templates and code
name a format (DATE_FORMAT, YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT, DATETIME_FORMAT) rather
than spelling one out, so that each language gets its own.

Kazakh writes the year first and the month in lower case ("2011 ж. 16 желтоқсан").
Django's own Kazakh catalogue capitalises month names, so the site's catalogue carries the
month names too (below), where it wins over Django's.
"""

from django.utils.translation import gettext_noop, pgettext_lazy

MONTHS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
]
# The month as it stands inside a date ("E"): the genitive in Russian (16 декабря).
MONTHS_IN_A_DATE = [
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
]
