from django import forms
from django.utils.translation import gettext_lazy as _

from binome.core.forms import VersionField
from binome.evaluation.models import EsfSituation


class EsfSituationForm(forms.Form):
    employment = forms.ChoiceField(
        label=_("Employment situation"),
        choices=EsfSituation.Employment.choices,
        widget=forms.RadioSelect,
    )
    in_education = forms.BooleanField(
        label=_("In education or training (a course, studies, an apprenticeship)"),
        required=False,
    )
    isced = forms.ChoiceField(
        label=_("Highest level of education attained"),
        choices=EsfSituation.Isced.choices,
        widget=forms.RadioSelect,
        help_text=_("A diploma recognised or not: the level of the studies completed."),
    )
    qualification = forms.BooleanField(
        label=_("Gained a qualification since entry (at exit and six months after)"),
        required=False,
    )
    # 0: no record yet when the form was opened.
    version = VersionField(min_value=0)
