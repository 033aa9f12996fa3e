"""Forms for appointing to a position and entering a mandate: the person is picked from a search in
the actor's scope (by id) or created on the spot from a few fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Function, Gender, Institution, MandateRole

DATE = forms.DateInput(attrs={"type": "date"})
LTR = forms.TextInput(attrs={"dir": "ltr"})  # Latin letters and codes inside an Arabic page


class TermForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A term cannot end before it starts."))
        return data


class NewPersonFields(forms.Form):
    """Who to name: a person found by the search (`person`) or a new one (the `new_` fields)."""

    person = forms.IntegerField(required=False, widget=forms.HiddenInput)
    new_first_name_ar = forms.CharField(label=_("First name (Arabic)"), required=False)
    new_last_name_ar = forms.CharField(label=_("Last name (Arabic)"), required=False)
    new_first_name_latin = forms.CharField(
        label=_("First name (Latin)"), required=False, widget=LTR
    )
    new_last_name_latin = forms.CharField(label=_("Last name (Latin)"), required=False, widget=LTR)
    new_gender = forms.ChoiceField(
        label=_("Gender"), choices=[("", "—"), *Gender.choices], required=False
    )
    new_cin = forms.CharField(label=_("CIN"), required=False, max_length=10, widget=LTR)
    new_territory = forms.CharField(
        label=_("Commune of residence (HCP code)"), required=False, max_length=20, widget=LTR
    )

    NEW_FIELDS = (
        "new_first_name_ar",
        "new_last_name_ar",
        "new_first_name_latin",
        "new_last_name_latin",
    )

    def new_person(self) -> dict | None:
        """The fields of a person to create, or None when a found person was picked."""
        data = self.cleaned_data
        if data.get("person"):
            return None
        if not any(data.get(name) for name in self.NEW_FIELDS):
            self.add_error(None, _("Pick a person from the search, or give a new person's name."))
            return None
        if not data.get("new_territory"):
            self.add_error("new_territory", _("Give the new person's commune."))
            return None
        fields = {name.removeprefix("new_"): data[name] for name in self.NEW_FIELDS}
        fields["gender"] = data.get("new_gender", "")
        fields["cin"] = data.get("new_cin") or None
        return fields


class AppointForm(TermForm, NewPersonFields):
    function = forms.ChoiceField(label=_("Function"), choices=Function.choices)
    field_order = ["function", "starts_on", "ends_on"]


class MandateForm(TermForm, NewPersonFields):
    institution = forms.ChoiceField(label=_("Institution"), choices=Institution.choices)
    role = forms.ChoiceField(label=_("Role"), choices=MandateRole.choices)
    # A code resolved by the view through the scope gate (404 outside); a select on the screen.
    territory = forms.CharField(label=_("Territory represented"), max_length=20)
    field_order = ["institution", "role", "territory", "starts_on", "ends_on"]

    def __init__(self, *args, territories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].widget = forms.Select(
            choices=[(t.code, "· " * t.level + t.name) for t in territories]
        )


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on"), required=False, widget=DATE)
