"""Second-factor views of the staff admin: verify a code, enrol a TOTP app, backup codes.

The QR code is an SVG drawn on the server (qrcode package) and inlined: no JavaScript, nothing
from the internet. Backup codes are shown once, right after enrolment.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Enough for a year of lost phones, few enough to write on paper.
BACKUP_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6 digits from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "").strip()


def _staff_or_login(request, admin_site):
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return redirect(reverse("admin:login"))
    return None


def _next_url(request) -> str:
    next_url = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("admin:index")


def _context(request, admin_site, **extra) -> dict:
    return {
        **admin_site.each_context(request),
        "next": _next_url(request),
        REDIRECT_FIELD_NAME: _next_url(request),
        **extra,
    }


@never_cache
@csrf_protect
def otp_verify(request, admin_site):
    """Step two of the staff sign-in: a code from the user's app or a backup code."""
    refused = _staff_or_login(request, admin_site)
    if refused:
        return refused
    devices = list(devices_for_user(request.user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('admin:otp_enrol')}?next={_next_url(request)}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            # Each device throttles its own failures (django-otp), so guessing slows down.
            if device.verify_token(form.cleaned_data["token"]):
                second_factor_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("This code is not valid. Try the current code from your app."))
    return render(
        request,
        "admin/portal/otp_verify.html",
        _context(request, admin_site, form=form, title=_("Second step of sign-in")),
    )


def second_factor_login(request, device) -> None:
    """Mark the session verified and give it a new key: a privilege change, so a session key
    learnt before the second step (fixation) is worth nothing after it."""
    otp_login(request, device)
    request.session.cycle_key()


def _qr_svg(config_url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    # The SVG is built here from our own otpauth:// URL, nothing user-supplied goes into it.
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-labelledby="otp-qr-title" ', 1))  # noqa: S308


def _b32(device: TOTPDevice) -> str:
    from base64 import b32encode

    key = b32encode(device.bin_key).decode()
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@never_cache
@csrf_protect
def otp_enrol(request, admin_site):
    """First sign-in: scan a QR code into an authenticator app, confirm with a code."""
    refused = _staff_or_login(request, admin_site)
    if refused:
        return refused
    if any(True for _device in devices_for_user(request.user, confirmed=True)):
        # Replacing a device is an administrator's job (delete it in the user's admin page).
        return redirect(reverse("admin:otp_verify"))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name=TOTP_DEVICE_NAME, confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = backup_codes_issue(user=request.user)
            second_factor_login(request, device)
            return render(
                request,
                "admin/portal/otp_backup_codes.html",
                _context(request, admin_site, codes=codes, title=_("Your backup codes")),
            )
        form.add_error("token", _("This code is not valid. Try the current code from your app."))
    return render(
        request,
        "admin/portal/otp_enrol.html",
        _context(
            request,
            admin_site,
            form=form,
            qr_svg=_qr_svg(device.config_url),
            secret=_b32(device),
            title=_("Set up the second step of sign-in"),
        ),
    )


def backup_codes_issue(*, user) -> list[str]:
    """Replace the user's backup codes with fresh ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes
