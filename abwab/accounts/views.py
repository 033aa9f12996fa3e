"""Login (throttled), the second factor (setup and verification) and re-authentication."""

import time

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

from abwab.accounts.forms import ThrottledAuthenticationForm
from abwab.accounts.twofactor import REAUTH, VERIFIED, device_for, provisioning_uri, verify_code


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


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """Enter the authenticator's code; the first time, scan the QR code to set the app up."""
    device = device_for(request.user)
    error = ""
    if request.method == "POST":
        if verify_code(device, request.POST.get("code", "")):
            request.session[VERIFIED] = int(time.time())
            return redirect(_next(request))
        error = _("This code is not valid. Enter the six digits the app shows now.")
    context = {"error": error, "next": _next(request), "setup": device.confirmed_at is None}
    if context["setup"]:
        uri = provisioning_uri(device)
        context |= {"qr": mark_safe(segno.make(uri).svg_inline(scale=4)), "secret": device.secret}  # noqa: S308 - segno's SVG
    return render(request, "accounts/second_factor.html", context)


class ReauthForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request: HttpRequest) -> HttpResponse:
    """Confirm the password before a sensitive action."""
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if request.user.check_password(form.cleaned_data["password"]):
            request.session[REAUTH] = int(time.time())
            return redirect(_next(request))
        form.add_error("password", _("Wrong password."))
    return render(request, "accounts/reauthenticate.html", {"form": form, "next": _next(request)})
