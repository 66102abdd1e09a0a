"""Settings a coordinator designs: the intercultural method on any programme, availability
optional for city teams, explanations in the programme's own words, engagement levels."""

from django.utils import translation

from binome.duos.services.meetings import uses_method
from binome.matching import adapter, explain
from binome.people.models import Participant
from binome.programmes.models import Programme
from binome.testing import add_person


def test_the_intercultural_method_can_be_switched_on_for_any_programme(cast):
    programme = cast.programme
    programme.kind = Programme.Kind.PROFESSIONAL
    assert not uses_method(programme)
    programme.intercultural_method = True
    assert uses_method(programme)
    programme.kind, programme.intercultural_method = Programme.Kind.INTERCULTURAL, False
    assert not uses_method(programme)


def test_a_city_team_without_availability_is_matched_in_a_city_to_city_programme(cast):
    Programme.objects.filter(pk=cast.programme.pk).update(
        kind=Programme.Kind.CITY_TO_CITY, mode=Programme.Mode.REMOTE
    )
    cast.programme.refresh_from_db()
    team = Participant.Kind.TEAM
    add_person(cast, Participant.Role.MENTEE, "", kind=team, team_name="Gap", availability=[])
    add_person(cast, Participant.Role.MENTOR, "", kind=team, team_name="Riga", availability=[])
    assert adapter.settings_for(cast.programme).min_shared_slots == 0
    run = adapter.run_matching(cast.programme)
    assert [(p.mentee.team_name, p.mentor.team_name) for p in run.pairs] == [("Gap", "Riga")]


def test_explanations_use_the_words_of_the_programmes_kind():
    parts = [{"key": "shared_interests", "params": {"interests": ["housing policy"]}}]
    with translation.override("en"):
        assert explain.render_explanation(parts) == "Both enjoy housing policy."
        city = explain.render_explanation(parts, Programme.Kind.CITY_TO_CITY)
    assert city == "Both work on housing policy."
