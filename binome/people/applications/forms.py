"""The public application forms: a mentee, a mentor or a city team applies to a programme."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.forms import CodesField, IscoSelect
from binome.people.fields import (
    AvailabilityField,
    LanguageLevelsField,
    LanguageLevelsWidget,
    PhoneField,
    TagsField,
)
from binome.people.forms import choice_field
from binome.people.models import Consent, Participant
from binome.programmes.models import Programme, Vocabulary
from binome.programmes.vocabularies import vocabulary_of
from binome.reference import geography

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def consent_texts(programme: Programme) -> dict[str, str]:
    """Return the consent sentences shown on the form, in the visitor's language."""
    names = {
        "organisation": programme.organisation.name,
        "programme": programme.localized("name").text,
    }
    return {
        Consent.Purpose.DATA_PROCESSING: str(
            _(
                "I agree that %(organisation)s keeps the information in this form to run the "
                "programme “%(programme)s”. Only the programme team sees it. I can ask to see, "
                "correct or delete it at any time."
            )
            % names
        ),
        Consent.Purpose.SHARE_WITH_PARTNER: str(
            _(
                "I agree that my first name, languages and interests are shown to the person "
                "proposed as my mentoring partner."
            )
        ),
    }


class ApplicationBase(forms.Form):
    """The honeypot and the consents that every public application form carries."""

    # Hidden from people (CSS and aria-hidden); robots fill every field they find.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programme = programme
        if "languages" in self.fields:
            # The programme's languages are suggested first.
            widget = cast(LanguageLevelsWidget, self.fields["languages"].widget)
            widget.first = tuple(programme.languages or ())
        texts = consent_texts(programme)
        self.fields["consent_data"] = forms.BooleanField(
            label=texts[Consent.Purpose.DATA_PROCESSING],
            error_messages={
                "required": _("Please tick this box: we cannot keep your form without it.")
            },
        )
        self.fields["consent_share"] = forms.BooleanField(
            label=texts[Consent.Purpose.SHARE_WITH_PARTNER], required=False
        )

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def consents(self) -> list[tuple[str, str]]:
        texts = consent_texts(self.programme)
        chosen = [Consent.Purpose.DATA_PROCESSING]
        if self.cleaned_data.get("consent_share"):
            chosen.append(Consent.Purpose.SHARE_WITH_PARTNER)
        return [(purpose, texts[purpose]) for purpose in chosen]


def _needs_mapping(programme: Programme) -> Mapping[str, StrOrPromise]:
    return dict(vocabulary_of(programme).choices(Vocabulary.NEEDS))


def _supports_mapping(programme: Programme) -> Mapping[str, StrOrPromise]:
    """The support this programme offers (N2WA's five, a social programme's own…)."""
    return dict(vocabulary_of(programme).choices(Vocabulary.SUPPORTS))


def _birth_year_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=datetime.date.today().year,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )


class PersonApplicationForm(ApplicationBase):
    """One person applying; the mentee and mentor forms add their own few fields."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
    )
    phone = PhoneField(
        label=_("Phone"),
        required=False,
        help_text=_("With the country code, for example +33 6 12 34 56 78."),
    )
    languages = LanguageLevelsField(
        label=_("Languages you speak"),
        help_text=_(
            "A1 = a few words, B1 = everyday talk, C2 = very good, native = first language."
        ),
        error_messages={"required": _("Tell us at least one language you speak.")},
    )
    city = forms.CharField(
        label=_("City where you live"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    mode_preference = forms.ChoiceField(
        label=_("How would you like to meet?"),
        choices=Participant.Mode.choices,
        initial=Participant.Mode.EITHER,
        widget=forms.RadioSelect,
    )
    interests = TagsField(
        label=_("What do you like?"),
        required=False,
        help_text=_("A few words separated by commas, for example: football, cooking, music."),
    )
    motivations = forms.CharField(
        label=_("Why do you want to take part?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    gender = forms.ChoiceField(
        label=_("You are"),
        required=False,
        choices=[("", _("I prefer not to say")), *vocab.GENDERS.items()],
        widget=forms.RadioSelect,
    )
    gender_preference = forms.ChoiceField(
        label=_("You would rather be paired with"),
        required=False,
        initial="any",
        choices=list(vocab.GENDER_PREFERENCES.items()),
        widget=forms.RadioSelect,
    )

    profile_fields = [
        "first_name",
        "last_name",
        "email",
        "phone",
        "languages",
        "city",
        "mode_preference",
        "availability",
        "interests",
        "motivations",
        "gender",
        "birth_year",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_year"] = _birth_year_field()
        # Built per form: the field joins day and time labels into plain strings at creation.
        self.fields["availability"] = AvailabilityField(label=_("When are you free?"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("email") and not data.get("phone") and not self.has_error("phone"):
            self.add_error(
                "email", _("Give us an e-mail address or a phone number, so that we can reply.")
            )
        return data

    def participant_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {name: data[name] for name in self.profile_fields if name in data}
        fields["gender_preference"] = data.get("gender_preference") or "any"
        return fields


class MenteeApplicationForm(PersonApplicationForm):
    profile_fields = [*PersonApplicationForm.profile_fields, "needs"]

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, programme=programme, **kwargs)
        self.fields["needs"] = CodesField(
            _needs_mapping(programme), label=_("What would you like help with?")
        )


class MentorApplicationForm(PersonApplicationForm):
    profile_fields = [
        *PersonApplicationForm.profile_fields,
        "offers",
        "sector",
        "occupation",
        "capacity",
    ]

    offers = CodesField(vocab.SUPPORTS, label=_("The support you would like to offer"))
    sector = forms.ChoiceField(
        label=_("Your sector of work"),
        required=False,
        widget=IscoSelect,
        choices=[("", "—"), *vocab.isco_choices()],
    )
    occupation = forms.CharField(label=_("Your job or experience"), max_length=200, required=False)

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, programme=programme, **kwargs)
        cast(forms.ChoiceField, self.fields["offers"]).choices = list(
            _supports_mapping(programme).items()
        )
        self.fields["capacity"] = forms.IntegerField(
            label=_("How many mentees could you follow at the same time?"),
            min_value=1,
            max_value=20,
            initial=programme.default_mentor_capacity,
        )


class TeamApplicationForm(ApplicationBase):
    """A city-to-city team: a municipality with its partners, applying as mentee or mentor city."""

    team_name = forms.CharField(label=_("Name of the team (city or organisation)"), max_length=200)
    country = forms.ChoiceField(label=_("Country"))
    city = forms.CharField(label=_("City"), max_length=120)
    languages = LanguageLevelsField(
        label=_("Working languages of the team"),
        error_messages={"required": _("Tell us at least one language the team works in.")},
    )
    mode_preference = forms.ChoiceField(
        label=_("How would the team like to meet?"),
        choices=Participant.Mode.choices,
        initial=Participant.Mode.EITHER,
        widget=forms.RadioSelect,
    )
    motivations = forms.CharField(
        label=_("Why does the team want to take part?"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, programme: Programme, role: str, **kwargs: Any) -> None:
        super().__init__(*args, programme=programme, **kwargs)
        self.role = role
        choice_field(self, "country").choices = [("", "—"), *geography.country_choices()]
        if role == Participant.Role.MENTEE:
            self.fields["needs"] = CodesField(
                _needs_mapping(programme), label=_("What does your city need help with?")
            )
        else:
            self.fields["offers"] = CodesField(
                _supports_mapping(programme), label=_("The support your city would like to offer")
            )

    def participant_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "team_name": data["team_name"],
            "country_of_origin": data["country"],
            "city": data["city"],
            "languages": data["languages"],
            "mode_preference": data["mode_preference"],
            "motivations": data["motivations"],
        }
        for name in ("needs", "offers"):
            if name in data:
                fields[name] = data[name]
        return fields


class TeamMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    function = forms.CharField(label=_("Function"), max_length=150, required=False)
    member_organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"dir": "ltr"})
    )
    is_representative = forms.BooleanField(label=_("Represents the team"), required=False)


class BaseTeamMemberFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        members = [f.cleaned_data for f in self.forms if f.cleaned_data]
        representatives = [m for m in members if m.get("is_representative")]
        if len(representatives) != 1:
            raise ValidationError(_("Tick “represents the team” for exactly one member."))
        if not representatives[0].get("email"):
            raise ValidationError(
                _("Give the e-mail address of the member who represents the team.")
            )

    def members(self) -> list[dict[str, Any]]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data]

    def representative_email(self) -> str:
        return next(m["email"] for m in self.members() if m.get("is_representative"))


# The stubs' formset_factory returns a BaseFormSet, whatever formset class it is given.
TeamMemberFormSet = cast(
    type[BaseTeamMemberFormSet],
    forms.formset_factory(
        TeamMemberForm,
        formset=BaseTeamMemberFormSet,
        extra=4,
        max_num=12,
        min_num=1,
        validate_min=True,
        validate_max=True,
    ),
)
