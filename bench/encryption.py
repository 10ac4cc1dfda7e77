# ruff: noqa: E501
"""What encrypting signers' personal data at rest (lib/crypto.py) costs, in process and
without a database: per signature signed (an address twice, a name, a town, an
organisation, a comment encrypted and two fingerprints made), per row of a page of signers
(three fields decrypted), and for a hand-over list of 20,000 names (decrypted and sorted in
Python, since the database can no longer sort them). Beside each, the same work without
encryption, so the difference is what encryption adds. Prints figures; asserts nothing.

Run: .venv/bin/python bench/encryption.py
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

import django  # noqa: E402

django.setup()

from lib import crypto  # noqa: E402
from lib.hashing import name_fingerprint  # noqa: E402
from petitions.handover import canonical_text  # noqa: E402
from petitions.services import email_fingerprint  # noqa: E402

SIGNER = {
    "name": "Aigul Example-Signer",
    "email": "aigul.example@example.org",
    "town": "Zhanaozen",
    "organisation": "Independent trade union of the oil workers",
    "comment": "In solidarity with the families of Zhanaozen.",
}


def per_call(function, n):
    start = time.perf_counter()
    for _ in range(n):
        function()
    return (time.perf_counter() - start) / n


def signing_plain():
    email_fingerprint(SIGNER["email"])
    return [SIGNER["email"], SIGNER["email"], SIGNER["name"], SIGNER["town"], SIGNER["organisation"], SIGNER["comment"]]


def signing_encrypted():
    email_fingerprint(SIGNER["email"])
    name_fingerprint(SIGNER["name"])
    values = [SIGNER["email"], SIGNER["email"], SIGNER["name"], SIGNER["town"], SIGNER["organisation"]]
    return [crypto.encrypt(value) for value in [*values, SIGNER["comment"]]]


def main():
    n = 5000
    plain, encrypted = per_call(signing_plain, n), per_call(signing_encrypted, n)
    print(
        f"one signature, fields prepared for its INSERT: {plain * 1e6:7.1f} µs plain, {encrypted * 1e6:7.1f} µs encrypted"
    )
    print(f"  encryption adds {(encrypted - plain) * 1e6:.1f} µs per signature")

    tokens = [crypto.encrypt(SIGNER[field]) for field in ("name", "town", "organisation")]
    row = per_call(lambda: [crypto.decrypt(token) for token in tokens], n)
    print(
        f"one row of the signers' list (name, town, organisation): {row * 1e6:.1f} µs to decrypt; 50 a page: {row * 50e3:.2f} ms"
    )

    names = [
        ("KZ", crypto.encrypt(f"Signer {i:05d} Example"), crypto.encrypt("Oil workers' union")) for i in range(20_000)
    ]
    plain_names = [(c, f"Signer {i:05d} Example", "Oil workers' union") for i, (c, _n, _o) in enumerate(names)]
    start = time.perf_counter()
    rows = [(c, canonical_text(crypto.decrypt(a)), canonical_text(crypto.decrypt(b))) for c, a, b in names]
    rows.sort(key=lambda r: (r[0], r[1].casefold(), r[1], r[2]))
    with_key = time.perf_counter() - start
    start = time.perf_counter()
    rows = [(c, canonical_text(a), canonical_text(b)) for c, a, b in plain_names]
    rows.sort(key=lambda r: (r[0], r[1].casefold(), r[1], r[2]))
    bare = time.perf_counter() - start
    print(
        f"a hand-over list of 20,000 names, read and sorted: {bare * 1e3:.0f} ms plain, {with_key * 1e3:.0f} ms encrypted"
    )


if __name__ == "__main__":
    main()
