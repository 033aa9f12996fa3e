import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.campaigns.models import AgeBand, Purpose
from abwab.people.models import Gender

CONSENT_TEXT = _(
    "I agree that the party records my membership, which reveals my political opinion, with my "
    "name, contact details and the information above, to manage my membership and keep me informed "
    "(law 09-08). I can see, correct or withdraw it at any time by asking my secretariat."
)


class CheckInForm(forms.Form):
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    territory = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    age_band = forms.ChoiceField(
        label=_("Age"), choices=[("", "—"), *AgeBand.choices], required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    purpose = forms.ChoiceField(
        label=_("Came for"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        initial=Purpose.INFORMATION,
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = communes
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class SignUpForm(forms.Form):
    first_name_ar = forms.CharField(label=_("first name (Arabic)"), required=False)
    last_name_ar = forms.CharField(label=_("last name (Arabic)"), required=False)
    first_name_latin = forms.CharField(
        label=_("first name (Latin)"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    last_name_latin = forms.CharField(
        label=_("last name (Latin)"), required=False, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    birth_date = forms.DateField(
        label=_("birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    cin = forms.CharField(
        label=_("national ID number (CIN)"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    consent = forms.BooleanField(label=CONSENT_TEXT, required=True)
    existing = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(
        label=_("None of these is the person: register a new one"), required=False
    )

    def person_fields(self, checkin) -> dict:
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("consent", "existing", "confirm_new") and v
        }
        data.setdefault("phone", checkin.phone)
        if checkin.gender:
            data.setdefault("gender", checkin.gender)
        return data
