"""Whether a staff member still owes the second factor of their login (campaign/two_factor.py
has the pages). Draft previews and the admin ask it alike."""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_device(user):
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or StaticDevice.objects.filter(user=user, confirmed=True, token_set__isnull=False).exists()
    )


def needs_second_factor(request):
    """Staff who logged in with a password but still owe the second factor."""
    user = request.user
    if not (user.is_authenticated and user.is_staff) or user.is_verified():
        return False
    return settings.REQUIRE_2FA or has_device(user)
