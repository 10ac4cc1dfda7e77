"""How fast letters are made: filling a model letter, building the mailto: link, and the
PDF. Prints figures; asserts nothing. Run: .venv/bin/python bench/appeal_letters.py"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

import django  # noqa: E402

django.setup()

from appeals.letters import Sender, as_pdf, as_text, render_letter  # noqa: E402
from appeals.models import LetterText, Target  # noqa: E402

BODY = (
    "{salutation}\n\nWe, {sender_name}, {sender_organisation}, wish to protest against the brutal repression of "
    "the workers of Kazakhstan. We demand:\n\n{demands}\n\n{sender_name}\n{sender_organisation}\n"
    "{sender_town}, {sender_country}\n{date}"
)
DEMANDS = [
    "Immediate reinstatement of all sacked workers.",
    "An increase in workers’ wages.",
    "Improvement of working conditions.",
    "Immediate release from prison of Natal'ya Sokolova.",
]


def timed(label, n, fn):
    start = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - start
    print(f"{label:<32} {n:>6} runs  {elapsed / n * 1e3:8.3f} ms each  {n / elapsed:10.0f} per second")


def main():
    text = LetterText(language="en", subject="Protest from {sender_name}", body=BODY)
    target = Target(name="KazMunayGaz", email="info@kmg.kz", postal_address="Kabanbye-batur 19\nAstana 010000")
    sender = Sender("Жанар Әлиева", "Unite", "Leeds", "United Kingdom")
    letter = render_letter(text, DEMANDS, sender, target, ["editor@marxist.com"])
    timed("fill the model letter", 5000, lambda: render_letter(text, DEMANDS, sender, target, ["editor@marxist.com"]))
    timed("build the mailto: link", 5000, lambda: letter.mailto)
    timed("plain-text download", 5000, lambda: as_text(letter))
    timed("PDF download", 50, lambda: as_pdf(letter))
    print(f"mailto: link length for this letter: {len(letter.mailto)} characters")


if __name__ == "__main__":
    main()
