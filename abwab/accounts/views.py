"""Login (throttled), the second factor (setup and verification) and re-authentication; the code
and the password re-check share the login's throttle, and their failures go to the audit log."""

import time

import pyotp
import segno
from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from abwab.accounts import throttle
from abwab.accounts.forms import ThrottledAuthenticationForm
from abwab.accounts.models import AttemptKind
from abwab.accounts.twofactor import (
    REAUTH,
    SETUP_SECRET,
    VERIFIED,
    confirmed_device,
    device_enrol,
    provisioning_uri,
    verify_code,
)
from abwab.core.audit import audit


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session[REAUTH] = int(time.time())  # the password was just checked
        return response


def _next(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    return (
        target
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        else "/"
    )


def _throttled(request, kind: str) -> bool:
    """Refuse to check a secret once the account or address has failed too often; audited."""
    if throttle.blocked(
        username=request.user.get_username(), address=throttle.client_address(request)
    ):
        audit(request, "auth_throttled", reason=kind)
        return True
    return False


def _failed(request, kind: str) -> None:
    """Count a wrong code or password against the account, and audit it."""
    throttle.record(
        username=request.user.get_username(),
        address=throttle.client_address(request),
        succeeded=False,
        kind=kind,
    )
    audit(request, f"{kind}_failed", reason=kind)


def _throttled_message() -> str:
    return _("Too many failed attempts. Wait a quarter of an hour, then try again.")


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the authenticator's code; the first time, scan the QR code to set the app up."""
    device = confirmed_device(request.user)
    error, throttled = "", False
    if request.method == "POST":
        code = request.POST.get("code", "")
        if throttled := _throttled(request, AttemptKind.CODE):
            error = _throttled_message()
        else:
            if device is not None:
                passed = verify_code(device, code)
            else:
                secret = request.session.get(SETUP_SECRET)
                passed = bool(secret) and device_enrol(user=request.user, secret=secret, code=code)
            if passed:
                request.session.pop(SETUP_SECRET, None)
                request.session.cycle_key()  # a key seen before the factor is worth nothing after
                request.session[VERIFIED] = int(time.time())
                return redirect(_next(request))
            _failed(request, AttemptKind.CODE)
            error = _("This code is not valid. Enter the six digits the app shows now.")
            device = confirmed_device(request.user)  # another session may have just set it up
    context = {
        "error": error,
        "throttled": throttled,
        "next": _next(request),
        "setup": device is None,
    }
    if device is None:
        # A secret of this session's own: the password alone never shows an existing one.
        secret = request.session.setdefault(SETUP_SECRET, pyotp.random_base32())
        uri = provisioning_uri(request.user, secret)
        context |= {"qr": mark_safe(segno.make(uri).svg_inline(scale=4)), "secret": secret}  # noqa: S308 - segno's SVG
    return render(request, "accounts/second_factor.html", context)


class ReauthForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm the password before a sensitive action."""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(request, AttemptKind.RECHECK):
            form.add_error("password", forms.ValidationError(_throttled_message(), "throttled"))
        elif request.user.check_password(form.cleaned_data["password"]):
            request.session[REAUTH] = int(time.time())
            return redirect(_next(request))
        else:
            _failed(request, AttemptKind.RECHECK)
            form.add_error("password", _("Wrong password."))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": _next(request)})
