"""The appeals' texts in each language (lib/translation.py says how). Model letters are not
here: each language's letter is a LetterText of its own, chosen by the supporter."""

from lib.translation import translate

from .models import Appeal, Demand, Target

translate(Appeal, ["title", "summary", "background", "source_note"], m2m_fields=["prisoners"])
translate(Demand, ["text"])
# The salutation and closing too: a letter in Russian to an embassy opens and closes in Russian.
translate(Target, ["name", "organisation", "salutation", "closing"])
