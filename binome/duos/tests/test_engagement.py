"""A duo runs at its engagement level: the mentor's (none: the programme's rhythm), lowered to what
the mentee needs; its agreement, expected meetings, silence alerts and end follow that level."""

import datetime
from decimal import Decimal

from django.utils import timezone

from binome.duos.agreement_text import placeholder_values
from binome.duos.models import Alert, Duo, Meeting
from binome.duos.periods import add_months, duo_expected_meetings
from binome.duos.services.supervision import alerts_refresh
from binome.people.models import Participant
from binome.testing import make_duo


def day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _duo(cast, *, mentor="", mentee="", started_on=None) -> Duo:
    Participant.objects.filter(pk=cast.marek_participant.pk).update(engagement=mentor)
    Participant.objects.filter(pk=cast.amina_participant.pk).update(engagement=mentee)
    cast.marek_participant.refresh_from_db()
    cast.amina_participant.refresh_from_db()
    duo = make_duo(cast, started_on=started_on or day(0))
    Meeting.objects.filter(duo=duo).delete()
    return Duo.objects.get(pk=duo.pk)


def test_a_mentee_who_needs_less_lowers_the_duos_level(cast):
    duo = _duo(cast, mentor="long_term", mentee="few_sessions")
    assert duo.engagement == "few_sessions"
    assert duo.rhythm == Decimal("0.5")
    assert duo.planned_end_on == add_months(day(0), 6)


def test_a_mentee_who_needs_more_does_not_raise_the_mentors_commitment(cast):
    duo = _duo(cast, mentor="short_term", mentee="long_term")
    assert duo.engagement == "short_term"
    assert duo.planned_end_on == add_months(day(0), 3)


def test_without_levels_the_duo_keeps_the_programmes_rhythm(cast):
    duo = _duo(cast)
    assert duo.engagement == ""
    assert duo.rhythm == cast.programme.meetings_per_month
    assert duo.planned_end_on == add_months(day(0), cast.programme.duration_months)


def test_a_mentee_below_the_programmes_rhythm_sets_the_level_with_a_mentor_without_one(cast):
    duo = _duo(cast, mentor="", mentee="one_off")
    assert duo.engagement == "one_off"


def test_the_agreement_states_a_short_term_duos_rhythm_and_length(cast):
    values = placeholder_values(_duo(cast, mentor="short_term", started_on=day(-10)), "en")
    assert (values["meetings_per_month"], values["duration_months"]) == ("2", "3")


def test_the_agreement_states_a_one_off_duos_rhythm_and_length(cast):
    values = placeholder_values(_duo(cast, mentor="one_off", started_on=day(-10)), "fr")
    assert (values["meetings_per_month"], values["duration_months"]) == ("0,17", "12")


def test_expected_meetings_and_silence_follow_the_level(cast):
    duo = _duo(cast, mentor="few_sessions", started_on=day(-100))
    # Half a meeting a month: after 100 days, one meeting expected, and no silence before 90.
    assert duo_expected_meetings(duo) == 1
    alerts_refresh(duos=[duo], today=day(-20))
    assert not Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
    alerts_refresh(duos=[duo], today=day(0))
    assert Alert.objects.filter(kind=Alert.Kind.NO_MEETING, resolved_at=None).exists()
