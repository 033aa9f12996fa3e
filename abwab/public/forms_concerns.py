"""The public concern form: the desk's listening form, with the citizen speaking for themself and
the abuse guard beside it (`public/_guard.html`)."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abwab.core.errors import ErrorCode
from abwab.listening.models import Category, Urgency
from abwab.public.abuse import plausible_phone
from abwab.territory.models import Level, Territory


class PublicConcernForm(forms.Form):
    commune = forms.CharField(widget=forms.HiddenInput, max_length=40)
    category = forms.ModelChoiceField(label=_("What is it about?"), queryset=None)
    description = forms.CharField(
        label=_("Describe the problem or what you expect"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    wants_answer = forms.BooleanField(label=_("I want an answer"), required=False)
    contact_name = forms.CharField(label=_("Your name"), required=False, max_length=200)
    contact_phone = forms.CharField(
        label=_("Your phone"),
        required=False,
        max_length=30,
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "tel", "autocomplete": "tel", "size": 16}
        ),
    )
    contact_consent = forms.BooleanField(
        label=_("I agree to be contacted about this concern, as explained below."), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = "name_ar" if (get_language() or "ar").startswith("ar") else "name_fr"
        field = self.fields["category"]
        field.queryset = Category.objects.filter(active=True).order_by(name, "pk")
        field.label_from_instance = lambda item: getattr(item, name)

    def clean_commune(self) -> Territory:
        node = Territory.objects.filter(
            code=self.cleaned_data["commune"], level__gte=Level.COMMUNE
        ).first()
        if node is None:
            raise forms.ValidationError(
                _("Choose a commune or an arrondissement."), code=ErrorCode.NOT_A_COMMUNE
            )
        return node

    def clean(self):
        data = super().clean()
        if not data.get("wants_answer"):
            data["contact_name"] = data["contact_phone"] = ""
            data["contact_consent"] = False
            return data
        raw = data.get("contact_phone", "")
        if not raw:
            self.add_error("contact_phone", _("To be answered, give a phone number."))
        else:
            try:
                data["contact_phone"] = plausible_phone(raw)
            except forms.ValidationError as error:
                self.add_error("contact_phone", error)
        if not data.get("contact_consent"):
            self.add_error("contact_consent", _("To be answered, you must agree to be contacted."))
        return data
