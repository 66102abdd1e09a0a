"""The action plan's objective form: the shape of the input; rules live in the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.forms import VersionField
from binome.duos.models import Objective
from binome.duos.services.plan import OBJECTIVE_FIELDS
from binome.programmes.forms import VocabularyChoiceField
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from binome.programmes.models import Programme


def need_choices(programme: Programme, current: str = "") -> list[tuple[str, StrOrPromise]]:
    """The programme's needs in use, plus the objective's own if it was retired."""
    return [("", "—"), *vocabulary_of(programme).choices(Vocabulary.NEEDS, current)]


class ObjectiveForm(forms.Form):
    title = forms.CharField(label=_("Objective"), max_length=200)
    need = VocabularyChoiceField(label=_("Need"), required=False)
    why = forms.CharField(
        label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("Steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One step per line."),
    )
    due_on = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Objective.Status.choices, initial=Objective.Status.PLANNED
    )
    carried_by = forms.ChoiceField(
        label=_("Carried by"), choices=Objective.Carrier.choices, initial=Objective.Carrier.BOTH
    )
    # The version the form was opened on, to detect a save made by someone else meanwhile.
    version = VersionField()

    def __init__(
        self, *args: Any, programme: Programme, objective: Objective | None = None, **kwargs: Any
    ) -> None:
        if objective is not None and "initial" not in kwargs:
            kwargs["initial"] = objective_initial(objective)
        super().__init__(*args, **kwargs)
        # self.fields holds plain Fields to the stubs; "need" is the ChoiceField declared above.
        need = cast(VocabularyChoiceField, self.fields["need"])
        current = objective.need if objective else ""
        need.offer(vocabulary_of(programme), Vocabulary.NEEDS, current, blank=True)
        if objective is None:
            del self.fields["version"]
        else:
            self.fields["version"].required = True

    def objective_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in OBJECTIVE_FIELDS}


def objective_initial(objective: Objective) -> dict[str, object]:
    return {
        **{name: getattr(objective, name) for name in OBJECTIVE_FIELDS},
        "version": objective.version,
    }
