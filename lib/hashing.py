"""Keyed fingerprints kept instead of signers' email addresses."""

import hashlib
import hmac
import unicodedata

from django.conf import settings


def keyed_hash(purpose, value):
    """A fingerprint of `value` that cannot be reversed or recomputed without the key."""
    key = hashlib.sha256(f"{purpose}:{settings.SIGNATURE_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_name(name):
    """The form of a name that two people typing it would agree on: Unicode's compatible
    form (NFKC), case folded, runs of spaces made one."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()


def name_fingerprint(name):
    """A keyed fingerprint of a whole name, kept beside the encrypted name: an organiser
    finds a signer by typing the whole name, and paper signatures repeating an online
    one are flagged, with no name readable in the database."""
    normal = normalise_name(name or "")
    return keyed_hash("name", normal) if normal else ""
