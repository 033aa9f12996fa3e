"""The public pre-registration form: who comes, from which commune, for what and on which day, with
the consent law 09-08 requires (the text is `abwab.public.consent.preregistration_text`)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abwab.campaigns.door import desk_communes
from abwab.campaigns.models import Event, Purpose
from abwab.core import dates
from abwab.public.abuse import plausible_phone

PURPOSES = [
    (Purpose.INFORMATION, _("To learn about the party and what it presents")),
    (Purpose.MEMBERSHIP, _("To join the party")),
    (Purpose.CONCERN, _("To raise a concern")),
]


class PreRegistrationForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Your phone"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel", "size": 16}
        ),
    )
    territory = forms.ModelChoiceField(label=_("Your commune"), queryset=None, to_field_name="code")
    purpose = forms.ChoiceField(
        label=_("You come"), choices=PURPOSES, widget=forms.RadioSelect, initial=Purpose.INFORMATION
    )
    expected_on = forms.TypedChoiceField(label=_("The day you expect to come"), choices=())
    note = forms.CharField(
        label=_("Anything we should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree that my name and phone are used for my visit, as explained below."),
        required=True,
    )

    def __init__(self, *args, event: Event, days: list, **kwargs):
        super().__init__(*args, **kwargs)
        ar = (get_language() or "ar").startswith("ar")
        field = self.fields["territory"]
        field.queryset = desk_communes(event)  # the office's province, by name in this language
        field.label_from_instance = lambda node: node.name_ar if ar else node.name_fr
        self.initial.setdefault("territory", event.office.territory.code)
        day = self.fields["expected_on"]
        day.choices = [(d.isoformat(), dates.long_date(d, weekday=True)) for d in days]
        day.coerce = lambda value: next(d for d in days if d.isoformat() == value)
        if days:
            self.initial.setdefault("expected_on", days[0].isoformat())

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return plausible_phone(self.cleaned_data["phone"])
