import uuid

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from abwab.core.errors import ErrorCode
from abwab.core.forms import day_field
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
        # Listed by their names in the page's language (Arabic names in Arabic, French in French).
        name = "name_ar" if (get_language() or "ar").startswith("ar") else "name_fr"
        self.fields["territory"].queryset = communes.order_by(name, "pk")
        self.fields["category"].queryset = Category.objects.filter(active=True).order_by(name, "pk")
        if not self.is_bound:
            self.initial.setdefault("client_key", uuid.uuid4().hex)


class DossierStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=DossierStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    answer = forms.CharField(
        label=_("answer obtained"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


MANY_PLACES = 400  # beyond this, the territory menu stops at provinces (a national scope)


class DossierFilterForm(forms.Form):
    """The dossiers list's filters. The territory menu holds only nodes of the reader's scope: a
    code from elsewhere is an error on the form, never a wider view."""

    territory = forms.ModelChoiceField(
        label=_("Territory"), queryset=None, to_field_name="code", required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), to_field_name="code", required=False
    )
    since = day_field(_("Raised from (day)"))
    until = day_field(_("Raised until (day)"))

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        from abwab.territory.models import Level

        name = "name_ar" if (get_language() or "ar").startswith("ar") else "name_fr"
        places = territories.filter(level__lte=Level.COMMUNE)
        if places.count() > MANY_PLACES:
            places = places.filter(level__lte=Level.PROVINCE)
        field = self.fields["territory"]
        field.queryset = places.order_by("path")
        field.empty_label = _("All my territory")
        field.label_from_instance = lambda node: getattr(node, name)
        self.fields["status"].choices = [("", _("All statuses")), *DossierStatus.choices]
        category = self.fields["category"]
        category.queryset = Category.objects.order_by(name, "pk")
        category.empty_label = _("All categories")
        category.label_from_instance = lambda item: getattr(item, name)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(
                _("The first day must come before the last one."), code=ErrorCode.DAYS_REVERSED
            )
        return data
