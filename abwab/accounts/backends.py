"""The one place a password is checked against the database, throttled whichever page asks (the
login page, the admin's login), under the name's normalised key."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from abwab.accounts import throttle


class ThrottledModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse unchecked once the account or address failed too often; count every try.
        Calls without a request (code, not a person at a form) are not throttled."""
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if request is None or username is None or password is None:
            return super().authenticate(request, username, password, **kwargs)
        address = throttle.client_address(request)
        if throttle.blocked(username=username, address=address):
            return None
        user = super().authenticate(request, username, password, **kwargs)
        throttle.record(username=username, address=address, succeeded=user is not None)
        return user
