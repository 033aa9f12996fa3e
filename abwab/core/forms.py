"""Forms of the pages every app shares: the audit log's filters."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from abwab.core.errors import ErrorCode

# The browser's date input sends ISO days; a day typed by hand reads day/month/year, never the
# US month/day/year Django would otherwise also try.
DAY_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def day_field(label) -> forms.DateField:
    """An optional day of a filter form: the browser's date picker, or a day typed by hand."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DAY_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a day as year-month-day.")},
    )


class AuditFilterForm(forms.Form):
    """Who, what, which page and which days: every field optional, the days checked."""

    who = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    page = forms.CharField(label=_("Page address"), required=False, max_length=300)
    since = day_field(_("From (day)"))
    until = day_field(_("To (day)"))

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *actions]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(
                _("The first day must come before the last one."), code=ErrorCode.DAYS_REVERSED
            )
        return data
