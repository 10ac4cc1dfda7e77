"""Two-factor login for staff: a code from an authenticator app (TOTP), with backup codes.

A staff account that has an authenticator always has to use it after the password; the
REQUIRE_2FA setting makes one compulsory for every staff account, so an account without
one is sent to enrol before it sees anything in the admin. Built on django-otp's devices;
these are the few pages around them.
"""

import base64
import io
import re
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from lib.second_factor import has_device, needs_second_factor

BACKUP_CODE_COUNT = 10
# Backup codes wait here between the POST that makes them and the page that shows them once.
SESSION_BACKUP_CODES = "two_factor_backup_codes"
APP_CODE = re.compile(r"^\d{6}$")


def second_factor_redirect(request):
    name = "admin:two_factor_verify" if has_device(request.user) else "admin:two_factor_enrol"
    return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return url
    return reverse("admin:index")


def qr_code_data_uri(text):
    """A QR code as an SVG data: URI, drawn here: the secret never leaves the server and
    the page needs no script (img-src allows data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def make_backup_codes(user):
    """Replace the user's backup codes with new ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_code(self):
        return re.sub(r"\s+", "", self.cleaned_data["code"])


def staff_member(view):
    """The pages of the second step: for a logged-in staff member, verified or not."""

    def wrapper(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _context(request, **extra):
    from django.contrib import admin

    return {**admin.site.each_context(request), "next": _next_url(request), **extra}


@staff_member
def enrol(request):
    user = request.user
    if has_device(user) and not user.is_verified():
        # Adding an authenticator must not be a way round the one already there.
        return second_factor_redirect(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=str(_("Authenticator app")), confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = make_backup_codes(user)
            otp_login(request, device)
            request.session[SESSION_BACKUP_CODES] = codes
            return redirect(f"{reverse('admin:two_factor_backup_codes')}?{urlencode({'next': _next_url(request)})}")
        form.add_error("code", _("That code is not right. Check the time on your phone and try the newest code."))
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "campaign/two_factor_enrol.html",
        _context(
            request,
            title=_("Set up two-factor login"),
            form=form,
            qr_code=qr_code_data_uri(device.config_url),
            secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        ),
    )


@staff_member
def verify(request):
    user = request.user
    if not has_device(user):
        return second_factor_redirect(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # Only the kind of device the code looks like is asked, so a mistyped app code
        # does not count as a failed try against the backup codes, and vice versa.
        model = TOTPDevice if APP_CODE.match(code) else StaticDevice
        for device in model.objects.filter(user=user, confirmed=True):
            allowed, details = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", _("Too many wrong codes: wait a minute and try again."))
                break
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_next_url(request))
        else:
            form.add_error("code", _("That code is not right."))
    return render(
        request,
        "campaign/two_factor_verify.html",
        _context(request, title=_("Two-factor login"), form=form),
    )


@staff_member
def backup_codes(request):
    if needs_second_factor(request):
        return second_factor_redirect(request)
    if request.method == "POST" and has_device(request.user):
        request.session[SESSION_BACKUP_CODES] = make_backup_codes(request.user)
        return redirect(request.get_full_path())
    codes = request.session.pop(SESSION_BACKUP_CODES, None)
    return render(
        request,
        "campaign/two_factor_backup_codes.html",
        _context(request, title=_("Backup codes"), codes=codes, has_device=has_device(request.user)),
    )
