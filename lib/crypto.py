"""Personal data encrypted at rest, with a key kept outside the database.

A dump or backup of the database taken from a seized server must name nobody: the columns
holding signers' (and subscribers') addresses, names, towns, organisations and comments
hold Fernet tokens (AES-128-CBC with an HMAC-SHA256, from `cryptography`), made with a key
from the environment (DATA_ENCRYPTION_KEY). Old keys (DATA_ENCRYPTION_KEY_FALLBACKS) still
decrypt while `manage.py reencrypt_personal_data` rewrites every token with the new one
(MultiFernet: the first key encrypts, every key decrypts).

An empty value stays empty, so that "has no address" is still a plain `email=""` in a
query. Nothing else can be searched or sorted in the database: a token is random each time.
What must be found by its whole value (an address, a name) also gets a keyed fingerprint
(lib/hashing.py).
"""

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.db import models
from django.db.models.lookups import Exact, IsNull

# Every Fernet token starts with its version byte 0x80, which is "gA" in base64.
TOKEN_START = "gA"


class UnreadableData(Exception):
    """A token none of the configured keys opens: the key was changed without keeping the
    old one in DATA_ENCRYPTION_KEY_FALLBACKS. Never shown as a value, so never saved back."""


def fernet_key(secret):
    """A Fernet key from any long random value (as SECRET_KEY is made): HKDF-SHA256, so an
    operator need not make a key in Fernet's own format."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"campaign personal data").derive(
        secret.encode()
    )
    return base64.urlsafe_b64encode(derived)


@functools.cache
def _keys(current, fallbacks):
    keys = [Fernet(fernet_key(secret)) for secret in (current, *fallbacks)]
    return MultiFernet(keys), keys[0]


def keyring():
    """Every configured key: the first encrypts, each decrypts."""
    return _keys(settings.DATA_ENCRYPTION_KEY, tuple(settings.DATA_ENCRYPTION_KEY_FALLBACKS))[0]


def current_key():
    return _keys(settings.DATA_ENCRYPTION_KEY, tuple(settings.DATA_ENCRYPTION_KEY_FALLBACKS))[1]


def encrypt(value):
    if not value:
        return ""
    return keyring().encrypt(value.encode()).decode("ascii")


def decrypt(token):
    if not token:
        return ""
    try:
        return keyring().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeEncodeError) as error:
        raise UnreadableData(
            "Personal data that no configured key opens: was DATA_ENCRYPTION_KEY changed without keeping "
            "the old one in DATA_ENCRYPTION_KEY_FALLBACKS? (SECURITY.md, Keys)"
        ) from error


def is_token(value):
    return bool(value) and value.startswith(TOKEN_START)


def rotate(token):
    """The same value under the current key (MultiFernet.rotate), or None if it already is."""
    if not token:
        return None
    if not token.isascii():
        raise UnreadableData("Not a token: plain text where a token should be.")
    try:
        current_key().decrypt(token.encode("ascii"))
        return None
    except InvalidToken:
        pass
    try:
        return keyring().rotate(token.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise UnreadableData("A token no configured key opens.") from error


class EmptyOnlyExact(Exact):
    """`field=""` (has no value) works as on any column; `field="Ann"` cannot, since every
    token differs, and says so rather than quietly matching nothing: look the value up by
    its fingerprint (name_hash, email_hash) instead."""

    def get_prep_lookup(self):
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise TypeError(
                f'{self.lhs.target.name} is encrypted: it can be compared only with ""; '
                "find a whole value by its keyed fingerprint (lib/hashing.py)."
            )
        return super().get_prep_lookup()


class EncryptedMixin:
    """A text column holding a Fernet token; Python sees the plain value. `max_length`
    limits what a form accepts (the token is longer: the column is TEXT)."""

    form_class = forms.CharField

    def get_internal_type(self):
        return "TextField"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt(str(value))

    def get_db_prep_value(self, value, connection, prepared=False):
        # Lookups go through here too: only an exact "" can match anything, and does.
        return value if prepared else self.get_prep_value(value)

    def get_lookup(self, lookup_name):
        # A substring, a range or a list of tokens means nothing.
        return {"exact": EmptyOnlyExact, "isnull": IsNull}.get(lookup_name)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": self.form_class, "max_length": self.max_length, **kwargs})


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A one-line text (a name, a town), encrypted at rest."""


class EncryptedEmailField(EncryptedCharField):
    """An email address, encrypted at rest; forms check it is an address."""

    form_class = forms.EmailField
    default_validators = models.EmailField.default_validators


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A longer text (a comment), encrypted at rest."""

    def formfield(self, **kwargs):
        return models.TextField.formfield(self, **{"max_length": self.max_length, **kwargs})
