import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from abwab.campaigns.models import AgeBand, DocumentKind, Purpose
from abwab.people.models import Gender

CONSENT_TEXT = _(
    "I agree that the party records my membership, which reveals my political opinion, with my "
    "name, contact details and the information above, to manage my membership and keep me informed "
    "(law 09-08). I can see, correct or withdraw it at any time by asking my secretariat."
)


class CheckInForm(forms.Form):
    client_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    name = forms.CharField(
        label=_("Name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
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
            # An empty desk waits for the next visitor's name: no tap to start typing.
            self.fields["name"].widget.attrs["autofocus"] = True


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

    def person_fields(self) -> dict:
        """What the volunteer typed about the person; the door service adds the visitor's name,
        phone and gender where these were left empty (the name is typed once)."""
        return {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("consent", "existing", "confirm_new") and v
        }


def quantity(label, **kwargs) -> forms.IntegerField:
    """A whole number typed in full: digits left to right, wide enough for six of them (a number
    input squeezed in a right-to-left cell showed "100" as "00")."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "dir": "ltr", "class": "qty", "autocomplete": "off"}
        ),
        **kwargs,
    )


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


def time_field(label, **kwargs) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}), **kwargs)


class CampaignForm(forms.Form):
    """A national campaign: names, dates, memo (text and document), goals and its top targets."""

    name_ar = forms.CharField(
        label=_("Arabic name"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_fr = forms.CharField(
        label=_("French name"), max_length=200, widget=forms.TextInput(attrs={"dir": "ltr"})
    )
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    memo_ar = forms.CharField(
        label=_("Memo (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 6, "dir": "rtl", "lang": "ar"}),
    )
    memo_fr = forms.CharField(
        label=_("Memo (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
    )
    memo_file = forms.FileField(
        label=_("Memo as a document (PDF, Word or OpenDocument)"), required=False
    )
    goals_ar = forms.CharField(
        label=_("Goals (Arabic)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
    )
    goals_fr = forms.CharField(
        label=_("Goals (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )
    public_intro_ar = forms.CharField(
        label=_("What citizens read on the public pages (Arabic)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
    )
    public_intro_fr = forms.CharField(
        label=_("What citizens read on the public pages (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )
    lead_days = quantity(_("Days before an event when a missing item is late"), initial=3)
    new_members = quantity(_("New members"))
    women = quantity(_("Women"))
    youth = quantity(_("Youth (under 35)"))
    professionals = quantity(_("Professionals and cadres"))
    visitors = quantity(_("Visitors"))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The campaign must end after it starts."))
        return data


class LocalGoalForm(forms.Form):
    place = forms.ChoiceField(label=_("For"))
    text_ar = forms.CharField(
        label=_("Goal (Arabic)"),
        widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl", "lang": "ar"}),
    )
    text_fr = forms.CharField(
        label=_("Goal (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "ltr"}),
    )
    starts_on = date_field(_("From"), required=False)
    ends_on = date_field(_("Until"), required=False)

    def __init__(self, *args, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = places


class EventForm(forms.Form):
    """An office's open days in the campaign."""

    office = forms.ModelChoiceField(label=_("Office"), queryset=None)
    starts_on = date_field(_("First day"))
    ends_on = date_field(_("Last day"))
    opens_at = time_field(_("Opening time"), initial="10:00")
    closes_at = time_field(_("Closing time"), initial="19:00")
    supervisor = forms.ModelChoiceField(label=_("Supervisor"), queryset=None, required=False)
    public = forms.BooleanField(label=_("Shown on the public site"), required=False, initial=True)
    address_on_request = forms.BooleanField(
        label=_("Address given only after pre-registration"), required=False
    )

    def __init__(self, *args, offices, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["supervisor"].queryset = people


class EventPublicForm(forms.Form):
    """What the public pages show of an event: whether it is listed, and whether its address is."""

    public = forms.BooleanField(
        label=_("Shown on the public site"),
        required=False,
        help_text=_("Internal events (a body's own open day) stay off every public page."),
    )
    address_on_request = forms.BooleanField(
        label=_("Address given only after pre-registration"),
        required=False,
        help_text=_(
            "The public page and the poster say the address is given to those who pre-register."
        ),
    )


class CampaignPublicForm(forms.Form):
    """The campaign's presentation to citizens on the public pages."""

    public_intro_ar = CampaignForm.base_fields["public_intro_ar"]
    public_intro_fr = CampaignForm.base_fields["public_intro_fr"]


class DocumentForm(forms.Form):
    """A campaign document to publish: the PDF, its titles and summaries, and whether it is public."""

    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title_ar = forms.CharField(
        label=_("Title (Arabic)"),
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    title_fr = forms.CharField(
        label=_("Title (French)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    summary_ar = forms.CharField(
        label=_("Summary (Arabic)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
    )
    summary_fr = forms.CharField(
        label=_("Summary (French)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )
    file = forms.FileField(
        label=_("Document (PDF)"), widget=forms.ClearableFileInput(attrs={"accept": ".pdf"})
    )
    public = forms.BooleanField(label=_("Shown on the public site"), required=False, initial=True)
