from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.people.models import Gender, MembershipStatus, Person, Skill
from abwab.people.selectors import AGE_BANDS


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, CIN or phone"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + MembershipStatus.choices
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("All"))] + Gender.choices
    )
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=[("", _("All"))] + [(b, b) for b in AGE_BANDS]
    )
    skill = forms.ModelChoiceField(
        label=_("Skill"), required=False, queryset=Skill.objects.all(), to_field_name="code"
    )
    territory = forms.CharField(label=_("Territory code"), required=False)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name_ar",
            "last_name_ar",
            "first_name_latin",
            "last_name_latin",
            "gender",
            "birth_date",
            "cin",
            "phone",
            "email",
            "education",
            "profession",
            "skills",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "first_name_latin": forms.TextInput(attrs={"dir": "ltr"}),
            "last_name_latin": forms.TextInput(attrs={"dir": "ltr"}),
            "cin": forms.TextInput(attrs={"dir": "ltr", "autocapitalize": "characters"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "skills": forms.CheckboxSelectMultiple,
        }

    def _post_clean(self):
        # The service cleans and validates (CIN, phone, keys); the form only collects the input.
        pass


class PersonRegisterForm(PersonForm):
    """A new person: the fields of a person, where they live (within the actor's scope), and the
    volunteer's answer to the duplicate warning."""

    territory = forms.ModelChoiceField(label=_("Commune of residence"), queryset=None)
    confirm_new = forms.BooleanField(
        label=_("None of these is the person: register a new one"), required=False
    )

    class Meta(PersonForm.Meta):
        fields = ["territory", *PersonForm.Meta.fields]

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = communes
        self.order_fields(
            ["first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin", "territory"]
        )
