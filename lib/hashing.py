"""Keyed fingerprints kept instead of signers' email addresses."""

import hashlib
import hmac

from django.conf import settings


def keyed_hash(purpose, value):
    """A fingerprint of `value` that cannot be reversed or recomputed without the key."""
    key = hashlib.sha256(f"{purpose}:{settings.SIGNATURE_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
