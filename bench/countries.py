"""What the country list costs, in process: lib/countries.CountryField (django-countries'
form field and Django's select, the list made once per language) against the same form with
the country as a bare text field. What a signature pays to check its country, and what a form
drawn for one visitor (an error shown again, the letter page's "I've sent it" list) pays to
draw the list. Prints figures; asserts nothing.

Run: .venv/bin/python bench/countries.py
"""

import os
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

import django  # noqa: E402

django.setup()

from django import forms  # noqa: E402
from django.utils import translation  # noqa: E402

from lib.countries import CountryField  # noqa: E402


class WithList(forms.Form):
    country = CountryField(required=False)


class Floor(forms.Form):
    # The same form with no list to check against or draw: what is left is the form's own cost.
    country = forms.CharField(required=False)


def per_call(function, number):
    return min(timeit.repeat(function, number=number, repeat=5)) / number * 1000


def main():
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            for label, form in (("CountryField", WithList), ("a bare text field", Floor)):
                form({"country": "GB"}).is_valid()  # warm: lists made, catalogues read
                str(form(initial={"country": "GB"})["country"])
                check = per_call(lambda form=form: form({"country": "GB"}).is_valid(), 200)
                draw = per_call(lambda form=form: str(form(initial={"country": "GB"})["country"]), 20)
                print(f"{language}  {label:<26} check a country {check:7.3f} ms   draw the list {draw:7.3f} ms")


if __name__ == "__main__":
    main()
