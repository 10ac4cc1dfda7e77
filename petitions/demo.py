"""Demo petitions, taken from the campaign's source documents (demo/petitions.json), and
a few hundred demo signatures with plainly invented names so the pages look alive on a
developer's machine. Only `make run` loads them; the Docker image never loads any demo.

Running this again creates nothing twice and never undoes an organiser's edits: a petition
someone has edited is left alone; one nobody has touched gets the file's wording (its
signatures stay as they are).
"""

import datetime
import itertools
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from appeals.models import Appeal
from lib.hashing import name_fingerprint
from lib.history import bring_up_to_date, edited_by_someone
from lib.translation import in_original_language, translated_fields, translations_beside, with_translations
from prisoners.models import Prisoner

from . import services
from .models import Petition, Signature

DATA = Path(__file__).resolve().parent / "demo" / "petitions.json"

# Invented, and meant to look it: no real person is listed as a signer.
FIRST = ["Alex", "Sam", "Jo", "Kim", "Robin", "Charlie", "Dana", "Lee", "Max", "Noor", "Ira", "Toni", "Sasha", "Ari"]
LAST = ["Example", "Sample", "Placeholder", "Testington", "Demo", "Mock", "Dummy", "Fictional", "Madeup"]
PLACES = [
    ("GB", "Leeds", "Example Trades Council"),
    ("GB", "London", "Demo branch, Unite"),
    ("DE", "Berlin", ""),
    ("FR", "Lyon", "Syndicat d'exemple"),
    ("BE", "Brussels", ""),
    ("SE", "Gothenburg", "Demo Workers' Club"),
    ("RU", "Moscow", ""),
    ("KZ", "", ""),
    ("US", "Chicago", "Sample Local 000"),
    ("IE", "Dublin", ""),
]


def demo_signatures(petition, count, now):
    names = (f"{first} {last}" for last, first in itertools.product(LAST, FIRST))
    for n, name in zip(range(count), itertools.cycle(names), strict=False):
        country, town, organisation = PLACES[n % len(PLACES)]
        email = f"demo-signer-{n}@example.invalid"
        confirmed = n % 12 != 0
        signed = now - datetime.timedelta(days=(n * 7) % 45, hours=n % 24)
        yield Signature(
            petition=petition,
            name=name,
            name_hash=name_fingerprint(name),  # bulk_create skips Signature.save()
            email="" if confirmed else email,
            email_hash=services.email_fingerprint(email),
            country=country,
            town=town,
            organisation=organisation,
            public=n % 3 != 0,
            status=Signature.Status.CONFIRMED if confirmed else Signature.Status.PENDING,
            created_at=signed,
            confirmed_at=signed + datetime.timedelta(minutes=5) if confirmed else None,
            nonce=f"demo{n}",
        )


@in_original_language  # the files' plain texts are the English ones
@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    translations = translations_beside(Path(data_path))
    created = 0
    now = timezone.now()
    for item in data["petitions"]:
        fields = {
            "title": item["title"],
            "status": item["status"],
            "goal": item.get("goal"),
            "goal_note": item.get("goal_note", ""),
            "summary": item.get("summary", ""),
            "addressed_to": item["addressed_to"],
            "text": item["text"],
            "source_note": item.get("source_note", ""),
        }
        translated = {code: texts.get("petitions", {}).get(item["slug"], {}) for code, texts in translations.items()}
        fields = with_translations(fields, translated_fields(Petition), translated)
        petition = Petition.objects.filter(slug=item["slug"]).first()
        if petition is not None:
            if not edited_by_someone(petition):
                bring_up_to_date(petition, fields)
                petition.prisoners.set(Prisoner.objects.filter(slug__in=item.get("prisoners", [])))
                petition.appeals.set(Appeal.objects.filter(slug__in=item.get("appeals", [])))
            continue
        petition = Petition.objects.create(slug=item["slug"], **fields)
        petition.prisoners.set(Prisoner.objects.filter(slug__in=item.get("prisoners", [])))
        petition.appeals.set(Appeal.objects.filter(slug__in=item.get("appeals", [])))
        Signature.objects.bulk_create(demo_signatures(petition, item.get("demo_signatures", 0), now))
        services.recount(petition)
        created += 1
    return created
