from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from abwab.accounts import throttle
from abwab.core.errors import ErrorCode


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, saying why it refuses once an account or address is throttled (the backend
    refuses then too, for every form, and counts each try under the name's normalised key)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _("Too many failed attempts. Wait a quarter of an hour, then try again."),
    }

    def clean(self):
        username = (self.data.get("username") or "").strip()
        address = throttle.client_address(self.request)
        if throttle.blocked(username=username, address=address):
            raise forms.ValidationError(self.error_messages["throttled"], code=ErrorCode.THROTTLED)
        return super().clean()  # the backend counts the try
