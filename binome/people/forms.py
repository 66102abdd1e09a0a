"""Forms of the coordinator screens: they check the shape of the input; rules live in services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.forms.boundfield import BoundWidget
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.forms import CodesField, IscoSelect, VersionField
from binome.people.fields import AvailabilityField, LanguageLevelsField, PhoneField, TagsField
from binome.people.models import Consent, Guardian, Participant
from binome.people.services import MemberFields
from binome.programmes.forms import VocabularyMultipleChoiceField
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.reference import geography, languages

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

BLANK = [("", "—")]


def needs_mapping(
    programme: Programme, current: list[str] | None = None
) -> dict[str, StrOrPromise]:
    """The programme's needs in use, plus codes the participant already has (marked retired)."""
    return dict(vocabulary_of(programme).choices(Vocabulary.NEEDS, current))


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """Return the form's field of that name, a ChoiceField (or a MultipleChoiceField).

    The stubs know form.fields as plain Fields; this says which ones the forms set choices on.
    """
    return cast(forms.ChoiceField, form.fields[name])


def sector_choices() -> list[tuple[StrOrPromise, Any]]:
    return [("", _("Any sector")), *vocab.isco_choices()]


class FilterForm(forms.Form):
    """The GET form above the participant list; every field is optional."""

    SORT_CHOICES = [
        ("name", _("Name (A → Z)")),
        ("-name", _("Name (Z → A)")),
        ("status", _("Status")),
        ("-created", _("Newest first")),
        ("created", _("Oldest first")),
        ("city", _("City")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, team, e-mail, phone")}
        ),
    )
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, widget=IscoSelect)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    needs = forms.ChoiceField(label=_("Needs"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choice_field(self, "role").choices = [("", _("All roles")), *Participant.Role.choices]
        choice_field(self, "status").choices = [
            ("", _("All statuses")),
            *Participant.Status.choices,
        ]
        choice_field(self, "language").choices = [
            ("", _("All languages")),
            *languages.language_choices(),
        ]
        choice_field(self, "sector").choices = sector_choices()
        choice_field(self, "needs").choices = [
            ("", _("All needs")),
            *needs_mapping(programme).items(),
        ]

    def filters(self) -> dict[str, Any]:
        """The valid filters; an invalid one (a stale bookmark) is ignored, not an error."""
        if self.is_valid():
            return self.cleaned_data
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class ProfileFieldsMixin(forms.BaseForm):
    """Shared tuning of the profile fields: choices that depend on the programme and language."""

    def tune(self, programme: Programme, participant: Participant | None = None) -> None:
        lists = vocabulary_of(programme)
        for name, vocabulary in (("needs", Vocabulary.NEEDS), ("offers", Vocabulary.SUPPORTS)):
            if name in self.fields:
                # The programme's own items; a retired one sent by a stale page is named.
                old = self.fields[name]
                field = VocabularyMultipleChoiceField(label=old.label, required=False)
                field.offer(lists, vocabulary, getattr(participant, name, None))
                self.fields[name] = field
        if "country_of_origin" in self.fields:
            choice_field(self, "country_of_origin").choices = BLANK + geography.country_choices()
        if "sector" in self.fields:
            choice_field(self, "sector").choices = BLANK + vocab.isco_choices()

    @property
    def day_parts(self) -> list[StrOrPromise]:
        return list(vocab.DAY_PARTS.values())

    def availability_rows(self) -> list[tuple[StrOrPromise, list[BoundWidget]]]:
        """The availability checkboxes as a week: one row per day, one column per day part."""
        boxes = list(self["availability"])
        size = len(vocab.DAY_PARTS)
        days = list(vocab.DAYS.values())
        return [(days[i], boxes[i * size : (i + 1) * size]) for i in range(len(days))]


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ParticipantForm(ProfileFieldsMixin, forms.Form):
    """The full intake profile, for create and edit."""

    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    kind = forms.ChoiceField(
        label=_("Person or team"), choices=Participant.Kind.choices, initial="person"
    )
    first_name = forms.CharField(label=_("First name"), required=False, max_length=100)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=100)
    team_name = forms.CharField(
        label=_("Team (city or organisation)"), required=False, max_length=200
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = PhoneField(label=_("Phone"), required=False)
    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=BLANK + list(vocab.GENDERS.items())
    )
    gender_preference = forms.ChoiceField(
        label=_("Would rather be paired with"),
        choices=list(vocab.GENDER_PREFERENCES.items()),
        initial="any",
    )
    birth_year = forms.IntegerField(
        label=_("Birth year"), required=False, min_value=1900, max_value=2100
    )
    country_of_origin = forms.ChoiceField(label=_("Country of origin"), required=False)
    legal_status = forms.ChoiceField(
        label=_("Legal / residence status (coordinators only)"),
        required=False,
        choices=Participant.LegalStatus.choices,
    )
    languages = LanguageLevelsField(label=_("Languages and levels"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=120)
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    mode_preference = forms.ChoiceField(
        label=_("Meeting mode"), choices=Participant.Mode.choices, initial="either"
    )
    max_distance_km = forms.IntegerField(
        label=_("Maximum distance (km)"), min_value=0, max_value=2000, initial=15
    )
    availability = AvailabilityField(label=_("Weekly availability"))
    sector = forms.ChoiceField(label=_("Sector (ISCO-08)"), required=False, widget=IscoSelect)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=200)
    skills = forms.CharField(label=_("Skills"), required=False, widget=_textarea())
    interests = TagsField(
        label=_("Interests"), required=False, help_text=_("Separate them with commas.")
    )
    needs = CodesField({}, label=_("Needs and goals"))
    offers = CodesField(vocab.SUPPORTS, label=_("Support offered (mentors)"))
    motivations = forms.CharField(label=_("Motivations"), required=False, widget=_textarea())
    capacity = forms.IntegerField(
        label=_("Mentees at once"), min_value=1, max_value=20, required=False
    )
    engagement = forms.ChoiceField(
        label=_("Engagement"),
        choices=[("", _("The programme's rhythm")), *vocab.ENGAGEMENT_CHOICES],
        required=False,
        help_text=_(
            "A mentor: what she commits to; the duo's rhythm and length follow it. A mentee: "
            "what she needs; mentors committing to much less are not proposed."
        ),
    )
    training_done = forms.BooleanField(label=_("Training done"), required=False)
    intake_notes = forms.CharField(
        label=_("Intake notes (coordinators only)"), required=False, widget=_textarea(4)
    )
    version = VersionField()

    # Fields that only exist on a create form (a participant's role and kind never change).
    CREATE_ONLY = ("role", "kind")
    MENTOR_ONLY = ("offers", "capacity", "training_done")

    def __init__(
        self,
        *args: Any,
        programme: Programme,
        participant: Participant | None = None,
        **kwargs: Any,
    ) -> None:
        if participant is not None:
            kwargs.setdefault("initial", profile_initial(participant))
        super().__init__(*args, **kwargs)
        self.programme, self.participant = programme, participant
        self.tune(programme, participant)
        if participant is not None:
            for name in self.CREATE_ONLY:
                del self.fields[name]
            if participant.role != Participant.Role.MENTOR:
                for name in self.MENTOR_ONLY:
                    del self.fields[name]
        elif not programme.has_teams:
            del self.fields["kind"]

    @property
    def is_team(self) -> bool:
        if self.participant is not None:
            return self.participant.kind == Participant.Kind.TEAM
        return self.programme.has_teams

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind = self.participant.kind if self.participant else data.get("kind", "person")
        if kind == Participant.Kind.TEAM and not data.get("team_name"):
            self.add_error("team_name", _("Give the team's name."))
        if kind != Participant.Kind.TEAM and not (data.get("first_name") or data.get("last_name")):
            self.add_error("last_name", _("Give at least a first name or a last name."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return data

    def profile(self) -> dict[str, Any]:
        """The cleaned values as model fields for the services."""
        data = {name: value for name, value in self.cleaned_data.items() if name != "version"}
        if data.get("capacity") is None:
            data.pop("capacity", None)
        if self.participant is None and data.get("role") != Participant.Role.MENTOR:
            for name in self.MENTOR_ONLY:
                data.pop(name, None)
        data.setdefault("kind", Participant.Kind.PERSON)
        if self.participant is not None:
            data.pop("kind")
            moved = data.get("city") != self.participant.city
            same_place = (data.get("latitude"), data.get("longitude")) == (
                self.participant.latitude,
                self.participant.longitude,
            )
            if moved and same_place:
                # The old coordinates belong to the old city: let the service look the new one up.
                data.pop("latitude")
                data.pop("longitude")
        return data


def profile_initial(participant: Participant) -> dict[str, Any]:
    names = [name for name in ParticipantForm.base_fields if name != "version"]
    initial = {name: getattr(participant, name) for name in names}
    initial["version"] = participant.version
    return initial


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    function = forms.CharField(label=_("Function"), required=False, max_length=150)
    member_organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False)
    is_representative = forms.BooleanField(label=_("Represents the team"), required=False)


TeamMemberFormSet = forms.formset_factory(TeamMemberForm, extra=3, can_delete=True, max_num=30)


def member_fields(data: Mapping[str, Any]) -> MemberFields:
    """A filled, valid member row as the services take it."""
    return {
        "name": data["name"],
        "function": data["function"],
        "member_organisation": data["member_organisation"],
        "email": data["email"],
        "is_representative": data["is_representative"],
    }


def member_rows(formset: forms.BaseFormSet[TeamMemberForm]) -> list[MemberFields]:
    """The members a valid formset keeps: filled rows not marked for deletion."""
    rows = []
    for form in formset.forms:
        data = dict(form.cleaned_data or {})
        if not data or data.pop("DELETE", False):
            continue
        rows.append(member_fields(data))
    return rows


def member_initial(participant: Participant) -> list[dict[str, Any]]:
    fields = ["name", "function", "member_organisation", "email", "is_representative"]
    return [
        {name: getattr(member, name) for name in fields} for member in participant.members.all()
    ]


class IntakeForm(ProfileFieldsMixin, forms.Form):
    """The intake interview: what the coordinator asks and hears, in one focused form."""

    languages = LanguageLevelsField(label=_("Languages and levels"), required=False)
    needs = CodesField({}, label=_("Needs and goals"))
    offers = CodesField(vocab.SUPPORTS, label=_("Support offered (mentors)"))
    motivations = forms.CharField(label=_("Motivations"), required=False, widget=_textarea())
    engagement = forms.ChoiceField(
        label=_("Engagement"),
        choices=[("", _("The programme's rhythm")), *vocab.ENGAGEMENT_CHOICES],
        required=False,
        help_text=_(
            "A mentor: what she commits to; the duo's rhythm and length follow it. A mentee: "
            "what she needs; mentors committing to much less are not proposed."
        ),
    )
    skills = forms.CharField(label=_("Skills"), required=False, widget=_textarea())
    availability = AvailabilityField(label=_("Weekly availability"))
    legal_status = forms.ChoiceField(
        label=_("Legal / residence status (coordinators only)"),
        required=False,
        choices=Participant.LegalStatus.choices,
    )
    intake_notes = forms.CharField(
        label=_("Intake notes (coordinators only)"), required=False, widget=_textarea(5)
    )
    consents = forms.MultipleChoiceField(
        label=_("Consent given during the interview"),
        required=False,
        choices=Consent.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_method = forms.ChoiceField(
        label=_("How was it given?"),
        choices=[
            (Consent.Method.ORAL, Consent.Method.ORAL.label),
            (Consent.Method.PAPER, Consent.Method.PAPER.label),
        ],
        initial=Consent.Method.ORAL,
    )
    ready = forms.BooleanField(
        label=_("Ready to match"),
        required=False,
        help_text=_("The profile is complete: the participant can be proposed a duo."),
    )
    version = VersionField()

    PROFILE = (
        "languages",
        "needs",
        "offers",
        "engagement",
        "motivations",
        "skills",
        "availability",
        "legal_status",
        "intake_notes",
    )

    def __init__(
        self, *args: Any, programme: Programme, participant: Participant, **kwargs: Any
    ) -> None:
        initial = {name: getattr(participant, name) for name in self.PROFILE}
        initial["version"] = participant.version
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.tune(programme, participant)
        if participant.role != Participant.Role.MENTOR:
            del self.fields["offers"]

    def profile(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.PROFILE if name in self.fields}


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Participant.Status.choices)
        choice_field(self, "to_status").choices = [(value, labels[value]) for value in allowed]


def _local_language_choices() -> list[tuple[str, str]]:
    # Each language named in itself, so that a person who cannot read the page finds hers.
    return [
        (code, str(translation.get_language_info(code)["name_local"]))
        for code, _name in settings.LANGUAGES
    ]


class OwnLanguageForm(forms.Form):
    """The language a participant reads the site, her e-mails and her PDFs in."""

    language = forms.ChoiceField(label=_("My language"), choices=_local_language_choices)


class GuardianForm(forms.ModelForm):
    """A family member's or legal guardian's contact; the rules live in the services."""

    language = forms.ChoiceField(label=_("Language for messages"), choices=settings.LANGUAGES)
    phone = PhoneField(label=_("Phone"), required=False, max_length=32)
    email = forms.EmailField(label=_("E-mail"), required=False, max_length=254)
    consent_on = forms.DateField(
        label=_("Agreed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    version = VersionField()

    class Meta:
        model = Guardian
        fields = [
            "name",
            "relation",
            "is_legal_guardian",
            "language",
            "phone",
            "email",
            "consent",
            "consent_on",
            "consent_method",
            "practical_emails",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def guardian_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def _post_clean(self) -> None:
        # The model's own checks run in the service, which says which rule was broken.
        pass
