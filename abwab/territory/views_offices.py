"""Offices from the screen: a secretariat opens an office in its territory and keeps its details."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from abwab.core.audit import audit
from abwab.core.scope import CHANGE, get_visible_or_404, territories_where
from abwab.territory.models import Level, Office, Territory
from abwab.territory.offices import OFFICE_FIELDS, office_open, office_update


class OfficeForm(forms.Form):
    """An office's names, address, phone, hours, map position and entrance."""

    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territory"), queryset=Territory.objects.none(), to_field_name="code"
    )
    name_ar = forms.CharField(
        label=gettext_lazy("Arabic name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_fr = forms.CharField(
        label=gettext_lazy("French name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    address = forms.CharField(
        label=gettext_lazy("Address"), max_length=300, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    phone = forms.CharField(
        label=gettext_lazy("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    hours = forms.CharField(
        label=gettext_lazy("Opening hours"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("For example: Monday to Saturday, 10:00–19:00"),
    )
    latitude = forms.DecimalField(
        label=gettext_lazy("Latitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    longitude = forms.DecimalField(
        label=gettext_lazy("Longitude"),
        required=False,
        max_digits=8,
        decimal_places=5,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "decimal"}),
    )
    accessible_entrance = forms.BooleanField(
        label=gettext_lazy("Step-free entrance (wheelchair)"), required=False
    )

    def __init__(self, *args, territories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = territories


def _territories(user):
    """Communes (and arrondissements) where the user may open an office."""
    return territories_where(user, Office, CHANGE).filter(level__gte=Level.COMMUNE).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def office_new(request: HttpRequest) -> HttpResponse:
    territories = _territories(request.user)
    if not territories.exists():
        raise Http404
    form = OfficeForm(
        request.POST or None,
        territories=territories,
        initial={"territory": request.GET.get("territory")},
    )
    if request.method == "POST" and request.POST.get("territory") and "territory" in form.errors:
        raise Http404  # a territory outside the scope is no choice: nothing is saved
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            office = office_open(
                actor=request.user,
                territory=data["territory"],
                **{k: data[k] for k in OFFICE_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "office.open", office)
            messages.success(request, _("Office opened."))
            return redirect("territory:office_detail", pk=office.pk)
    return render(request, "territory/office_form.html", {"form": form, "office": None})


@login_required
@require_http_methods(["GET", "POST"])
def office_edit(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_visible_or_404(request.user, Office, CHANGE, pk=pk)
    territories = Territory.objects.filter(pk=office.territory_id)
    initial = {name: getattr(office, name) for name in OFFICE_FIELDS}
    form = OfficeForm(
        request.POST or None,
        territories=territories,
        initial={**initial, "territory": office.territory.code},
    )
    form.fields["territory"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            office_update(
                actor=request.user,
                office=office,
                **{k: form.cleaned_data[k] for k in OFFICE_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            audit(request, "office.update", office)
            messages.success(request, _("Office saved."))
            return redirect("territory:office_detail", pk=office.pk)
    return render(request, "territory/office_form.html", {"form": form, "office": office})
