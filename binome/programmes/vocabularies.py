"""The lists each programme starts with, per kind of programme, and how records read them.

A programme's lists live in VocabularyItem rows its coordinators edit; these are only the
defaults a new programme gets (and that existing programmes got when the lists became editable).
The codes are those Binôme always stored, so records made before keep their meaning. A code
that a programme's list lacks (an item of another kind, a record older than the list) is still
named, by the label Binôme ships for it, never shown as a bare code.
"""

from collections.abc import Iterable, Mapping

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from binome.core import vocab
from binome.core.content import CONTENT_LANGUAGES, Localized
from binome.programmes.models import Programme, Vocabulary, VocabularyItem

Kind = Programme.Kind
Label = str | Promise
# A code as a reader sees it: the programme's label (its language marked) or a shipped one.
Named = Localized | str

CLOSE_REASONS: dict[str, Label] = {
    "completed": _("Completed: planned end reached"),
    "goal_reached": _("Goal reached"),
    "work_training": _("Mentee found work or training"),
    "moved": _("Moved away"),
    "no_time": _("Lack of time"),
    "mismatch": _("Mismatch"),
    "other": _("Other"),
}

OUTCOMES: dict[str, Label] = {
    "employment": _("Employment"),
    "training": _("Training"),
    "housing": _("Housing"),
    "language": _("Language progress"),
    "network": _("Wider network"),
    "other": _("Other"),
}

# City teams close on what changed in the mentee city's policy, not on a person's job.
CITY_OUTCOMES: dict[str, Label] = {
    "policy_change": _("A local policy changed"),
    "action_plan": _("An action plan adopted"),
    "partnership": _("A lasting partnership between the cities"),
    "network": _("Wider network"),
    "other": _("Other"),
}

MEETING_MODES: dict[str, Label] = {
    "in_person": _("In person"),
    "video": _("Video call"),
    "phone": _("Phone"),
}

# Social mentoring (seed 000) and remote mentoring (seed 003) help with daily life, not a job.
SOCIAL_SUPPORTS: dict[str, Label] = {
    "listening": _("Listening and moral support"),
    "orientation": _("Finding one's way among local services"),
    "language_practice": _("Practising the language"),
    "discovery": _("Discovering the city and its culture"),
    "paperwork": _("Help with paperwork"),
}
REMOTE_SUPPORTS: dict[str, Label] = {
    "listening": _("Listening and moral support"),
    "orientation": _("Finding one's way among local services"),
    "language_practice": _("Practising the language"),
    "digital": _("Help with digital tools"),
}
CITY_SUPPORTS: dict[str, Label] = {
    "peer_exchange": _("Exchange between peers of both cities"),
    "study_visit": _("Study visits"),
    "policy_advice": _("Advice on designing a local policy"),
    "action_plan_support": _("Support in writing an action plan"),
}

CITY_THEMES: dict[str, Label] = {
    "reception": _("Reception of newcomers"),
    "housing_policy": _("Housing policy"),
    "employment_policy": _("Access to employment"),
    "participation": _("Participation in local life"),
    "anti_discrimination": _("Fighting discrimination"),
}
PROFESSIONAL_THEMES: dict[str, Label] = {
    "job_search": _("Job search"),
    "cv_interviews": _("CV and job interviews"),
    "workplace_culture": _("Workplace culture"),
}

_NEEDS_BY_KIND: dict[str, list[str]] = {
    Kind.INTERCULTURAL: [
        "language",
        "housing",
        "administration",
        "social_network",
        "culture_leisure",
        "health",
        "education",
    ],
    Kind.PROFESSIONAL: ["employment", "professional_network", "language", "education"],
    Kind.CITY_TO_CITY: [
        "integration_policy",
        "housing",
        "employment",
        "language",
        "education",
        "health",
    ],
    Kind.REMOTE: ["language", "administration", "social_network", "employment", "health"],
}

_SUPPORTS_BY_KIND: dict[str, Mapping[str, Label]] = {
    Kind.INTERCULTURAL: SOCIAL_SUPPORTS,
    Kind.PROFESSIONAL: vocab.SUPPORTS,
    Kind.CITY_TO_CITY: CITY_SUPPORTS,
    Kind.REMOTE: REMOTE_SUPPORTS,
}

_THEMES_BY_KIND: dict[str, Mapping[str, Label]] = {
    Kind.CITY_TO_CITY: CITY_THEMES,
    Kind.PROFESSIONAL: PROFESSIONAL_THEMES,
}

# Every label Binôme ships, by list: how a code missing from a programme's list is named.
SHIPPED: dict[str, dict[str, Label]] = {
    Vocabulary.SUPPORTS: {
        **vocab.SUPPORTS,
        **SOCIAL_SUPPORTS,
        **REMOTE_SUPPORTS,
        **CITY_SUPPORTS,
    },
    Vocabulary.NEEDS: dict(vocab.NEEDS),
    Vocabulary.THEMES: {**CITY_THEMES, **PROFESSIONAL_THEMES},
    Vocabulary.OUTCOMES: {**OUTCOMES, **CITY_OUTCOMES},
    Vocabulary.CLOSE_REASONS: dict(CLOSE_REASONS),
    Vocabulary.MEETING_MODES: dict(MEETING_MODES),
}

# The lists a form must always offer something from: the last item in use stays in use.
REQUIRED = frozenset({Vocabulary.CLOSE_REASONS, Vocabulary.MEETING_MODES})
# The lists whose codes the software acts on (a video meeting gets the duo's room): their items
# can be reworded, reordered and retired, not added.
FIXED = frozenset({Vocabulary.MEETING_MODES})


def defaults(
    kind: str, *, needs: Iterable[str] = (), themes: Iterable[str] = ()
) -> dict[str, list[tuple[str, Label]]]:
    """Return each list's default items (code, label) for a kind of programme.

    `needs` and `themes` are the programme's own lists from before they became editable: kept,
    the themes' text as their code (that is what meetings stored).
    """
    chosen_needs = [code for code in needs if code in vocab.NEEDS] or _NEEDS_BY_KIND.get(kind, [])
    typed_themes: list[tuple[str, Label]] = [(theme, theme) for theme in themes if theme]
    return {
        Vocabulary.SUPPORTS: list(_SUPPORTS_BY_KIND.get(kind, vocab.SUPPORTS).items()),
        Vocabulary.NEEDS: [(code, vocab.NEEDS[code]) for code in chosen_needs],
        Vocabulary.THEMES: typed_themes or list(_THEMES_BY_KIND.get(kind, {}).items()),
        Vocabulary.OUTCOMES: list(
            (CITY_OUTCOMES if kind == Kind.CITY_TO_CITY else OUTCOMES).items()
        ),
        Vocabulary.CLOSE_REASONS: list(CLOSE_REASONS.items()),
        Vocabulary.MEETING_MODES: list(MEETING_MODES.items()),
    }


def label_in_languages(label: Label, languages: list[str]) -> tuple[str, dict[str, str]]:
    """Return a shipped label in the first language, and its translations into the others.

    A language Binôme has no translation of the label in is left out (shown to staff as
    missing) rather than filled with the English words.
    """
    source = (languages or ["fr"])[0]
    with translation.override(source):
        text = str(label)
    with translation.override("en"):
        english = str(label)
    others: dict[str, str] = {}
    for language in languages[1:]:
        if language not in CONTENT_LANGUAGES:
            continue
        with translation.override(language):
            translated = str(label)
        if language == "en" or translated != english:
            others[language] = translated
    return text, others


class ProgrammeVocabulary:
    """A programme's lists, read once: the choices a form offers and the label of any code.

    A list the programme has no row for at all (a programme made outside the services) reads
    as its kind's defaults, so that its forms never offer nothing.
    """

    def __init__(self, programme: Programme, items: Iterable[VocabularyItem]):
        self.programme = programme
        self.items: dict[str, list[VocabularyItem]] = {v: [] for v in Vocabulary.values}
        self._by_code: dict[tuple[str, str], VocabularyItem] = {}
        for item in items:
            item.programme = programme  # its source language, without a query per item
            self.items.setdefault(item.vocabulary, []).append(item)
            self._by_code[(item.vocabulary, item.code)] = item
        self._defaults: dict[str, list[tuple[str, Label]]] = {}
        missing = [v for v, listed in self.items.items() if not listed]
        if missing:
            shipped = defaults(
                programme.kind, needs=programme.needs or [], themes=programme.themes or []
            )
            self._defaults = {v: shipped[v] for v in missing}

    def in_use(self, vocabulary: str) -> list[VocabularyItem]:
        return [item for item in self.items[vocabulary] if item.in_use]

    def codes_in_use(self, vocabulary: str) -> list[str]:
        if vocabulary in self._defaults:
            return [code for code, _label in self._defaults[vocabulary]]
        return [item.code for item in self.in_use(vocabulary)]

    def label(self, vocabulary: str, code: str) -> Named:
        """Name a code in the reader's language, the programme's wording first."""
        item = self._by_code.get((vocabulary, code))
        if item is not None:
            return item.localized("label")
        shipped = SHIPPED.get(vocabulary, {}).get(code)
        if shipped is not None:
            return str(shipped)
        return code.replace("_", " ")

    def all_codes(self, vocabulary: str) -> list[str]:
        """The list's codes in its order, retired ones included (for figures over time)."""
        if vocabulary in self._defaults:
            return self.codes_in_use(vocabulary)
        return [item.code for item in self.items[vocabulary]]

    def knows_or_ships(self, vocabulary: str, code: str) -> bool:
        """Whether the code names something: an item of the list, or one Binôme ships."""
        return (
            self.knows(vocabulary, code)
            or code in self.codes_in_use(vocabulary)
            or code in SHIPPED.get(vocabulary, {})
        )

    def knows(self, vocabulary: str, code: str) -> bool:
        """Whether the code is an item of the list, in use or retired."""
        return (vocabulary, code) in self._by_code

    def texts(self, vocabulary: str) -> dict[str, str]:
        """Every code this programme may meet in a list, named as plain text."""
        codes = [*SHIPPED.get(vocabulary, {}), *(item.code for item in self.items[vocabulary])]
        return {code: self.text(vocabulary, code) for code in codes}

    def labels(self, vocabulary: str, codes: Iterable[str] | None) -> list[Named]:
        return [self.label(vocabulary, code) for code in codes or []]

    def text(self, vocabulary: str, code: str) -> str:
        """The label as plain text (e-mails, exports, calendar files)."""
        return str(self.label(vocabulary, code))

    def choices(
        self, vocabulary: str, current: Iterable[str] | str | None = None
    ) -> list[tuple[str, str]]:
        """The items in use, then the record's current codes that are not (marked retired)."""
        if isinstance(current, str):
            current = [current] if current else []
        offered = [(code, self.text(vocabulary, code)) for code in self.codes_in_use(vocabulary)]
        codes = {code for code, _label in offered}
        for code in current or []:
            if code and code not in codes:
                codes.add(code)
                offered.append(
                    (
                        code,
                        _("%(label)s (no longer offered)") % {"label": self.text(vocabulary, code)},
                    )
                )
        return offered

    def allowed(self, vocabulary: str, current: Iterable[str] | str | None = None) -> set[str]:
        """The codes a save may bring: those in use, and those the record already holds."""
        if isinstance(current, str):
            current = [current] if current else []
        return set(self.codes_in_use(vocabulary)) | {code for code in current or [] if code}

    def refuse_retired(
        self, vocabulary: str, chosen: Iterable[str], current: Iterable[str] | str | None = None
    ) -> str | None:
        """Return the message for the first chosen code no longer offered, or None."""
        allowed = self.allowed(vocabulary, current)
        for code in chosen:
            if code not in allowed:
                return str(RETIRED_CHOSEN % {"label": self.text(vocabulary, code)})
        return None


def vocabulary_of(programme: Programme) -> ProgrammeVocabulary:
    """Return the programme's lists, read once per programme object."""
    cached: ProgrammeVocabulary | None = getattr(programme, "_vocabulary", None)
    if cached is None:
        cached = ProgrammeVocabulary(programme, VocabularyItem.objects.filter(programme=programme))
        programme._vocabulary = cached  # type: ignore[attr-defined]
    return cached


RETIRED_CHOSEN = _("“%(label)s” is no longer offered by this programme: choose another.")
