from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from abwab.accounts import throttle


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing to even check a password once an account or address is throttled
    (the throttle and the account lookup both take the name's normalised key)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a quarter of an hour, then try again."),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = throttle.client_address(self.request)
        if throttle.blocked(username=username, address=address):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record(username=username, address=address, succeeded=False)
            raise
        throttle.record(username=username, address=address, succeeded=True)
        return cleaned
