import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.listening.models import Category, DossierStatus, Urgency


class ConcernForm(forms.Form):
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    territory = forms.ModelChoiceField(label=_("Commune"), queryset=None)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True)
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    wants_answer = forms.BooleanField(label=_("The citizen wants an answer"), required=False)
    contact_name = forms.CharField(label=_("contact name"), required=False)
    contact_phone = forms.CharField(
        label=_("contact phone"),
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    contact_consent = forms.BooleanField(
        label=_("The citizen agrees to be contacted about this concern (law 09-08)."),
        required=False,
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = communes
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class DossierStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DossierStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    answer = forms.CharField(
        label=_("answer obtained"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
