"""Forms of the territory app: creating a body."""

from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.territory.models import BodyKind, Level, PartyUnit, Quorum, Territory

LTR = forms.TextInput(attrs={"dir": "ltr"})  # French inside an Arabic page


class BodyForm(forms.Form):
    """A new body: its kind, where it sits (a node or a party unit), its names and its rules."""

    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    territory = forms.ModelChoiceField(
        label=_("Territory"), queryset=Territory.objects.none(), to_field_name="code"
    )
    party_unit = forms.ModelChoiceField(
        label=_("Party unit"),
        queryset=PartyUnit.objects.none(),
        to_field_name="code",
        required=False,
        help_text=_("Only for a body of a party unit such as Fès North."),
    )
    name_ar = forms.CharField(label=_("Arabic name"), max_length=200)
    name_fr = forms.CharField(label=_("French name"), max_length=200, widget=LTR)
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quorum = forms.ChoiceField(label=_("Quorum"), choices=Quorum.choices, initial=Quorum.MAJORITY)
    proxies_allowed = forms.BooleanField(label=_("Proxies allowed"), required=False)

    def __init__(self, *args, territories, units, node: Territory | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # Down to provinces in the list; a commune's body is created from the commune's page.
        choices = territories.filter(level__lte=Level.PROVINCE)
        if node is not None:
            choices = choices | territories.filter(pk=node.pk)
            self.fields["territory"].initial = node.code
        self.fields["territory"].queryset = choices.order_by("path")
        self.fields["party_unit"].queryset = units


class BodyRulesForm(forms.Form):
    """A body's names, founding date and rules, as its secretariat changes them."""

    name_ar = forms.CharField(label=_("Arabic name"), max_length=200)
    name_fr = forms.CharField(label=_("French name"), max_length=200, widget=LTR)
    founded_on = forms.DateField(
        label=_("Founded on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    quorum = forms.ChoiceField(label=_("Quorum"), choices=Quorum.choices)
    proxies_allowed = forms.BooleanField(label=_("Proxies allowed"), required=False)
