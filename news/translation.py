"""The updates' texts in each language (lib/translation.py says how)."""

from lib.translation import translate

from .models import Update

translate(Update, ["subject", "text"])
