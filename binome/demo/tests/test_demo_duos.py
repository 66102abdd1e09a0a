"""The demo shows duos at every stage of their life, and loading it again adds none."""

import datetime
import tempfile

from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.demo.load import load_demo
from binome.duos.models import (
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Objective,
    Signature,
    SupervisionNote,
    Visit,
)
from binome.people.models import StatusChange
from binome.programmes.models import Programme

MODELS = [
    Duo,
    Meeting,
    Objective,
    Signature,
    CheckIn,
    Alert,
    Visit,
    SupervisionNote,
    ClosingFeedback,
    FollowUp,
    FollowUpAnswer,
]


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def open_alerts(kind) -> int:
    return Alert.objects.filter(kind=kind, resolved_at__isnull=True).count()


# The demo's paper-signature scans go to a throwaway directory, not the project's media.
@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="binome-demo-media-"))
class TestDemoDuos(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_a_second_load_adds_no_duo_and_nothing_in_them(self):
        before = counts()
        load_demo()
        assert counts() == before

    def test_every_programme_has_duos_and_the_stages_are_all_there(self):
        for programme in Programme.objects.all():
            assert programme.duos.exists(), programme
        statuses = set(Duo.objects.values_list("status", flat=True))
        assert statuses == {"starting", "active", "closed"}
        starting = Duo.objects.filter(status=Duo.Status.STARTING)
        assert not Signature.objects.filter(agreement__duo__in=starting).exists()
        for duo in Duo.objects.exclude(status=Duo.Status.STARTING):
            assert duo.agreement.frozen_at is not None
            assert duo.meetings.filter(status=Meeting.Status.HELD).exists()
            assert duo.objectives.exists()

    def test_the_supervision_board_has_something_to_show(self):
        assert open_alerts(Alert.Kind.LOW_MOOD) >= 1
        assert open_alerts(Alert.Kind.CALL_REQUESTED) >= 1
        assert open_alerts(Alert.Kind.NO_MEETING) >= 1
        assert open_alerts(Alert.Kind.ENDING_SOON) >= 1
        assert CheckIn.objects.filter(mood__lte=2, wants_call=True).exists()
        assert SupervisionNote.objects.exists()

    def test_a_closed_duo_has_its_outcome_feedback_and_a_follow_up_due(self):
        duo = Duo.objects.get(status=Duo.Status.CLOSED)
        assert duo.close_reason and duo.outcomes and duo.outcome_notes
        assert duo.closing_feedback.count() == 2
        assert duo.follow_up.due_on <= timezone.localdate()
        assert duo.follow_up.answers.count() == 1

    def test_the_city_to_city_duo_has_done_two_of_its_three_visits(self):
        duo = Duo.objects.get(mentee__team_name="Capaci")
        assert duo.mentor.team_name == "Mechelen"
        hosts = sorted(duo.visits.values_list("host", flat=True))
        assert hosts == ["mentee", "mentor"]

    def test_meetings_use_the_programmes_themes(self):
        cai = Programme.objects.get(kind=Programme.Kind.PROFESSIONAL)
        themes = {t for ts in Meeting.objects.filter(duo__programme=cai).values_list(
            "themes", flat=True) for t in ts}  # fmt: skip
        assert themes and themes <= set(cai.themes)

    def test_the_demo_mentee_lands_in_her_duo_with_a_video_call_to_join(self):
        client = Client()
        client.force_login(User.objects.get(email="mentee@demo.binome.test"))
        with translation.override("en"):
            mine = reverse("duos:mine")
        response = client.get(mine, follow=True)
        page = response.content.decode()
        assert response.redirect_chain, "one open duo: straight to it"
        assert "My duo with Sophie" in page
        assert "Join the video call" in page
        assert "Signed by everyone." in page

    def test_the_pairing_steps_keep_every_timeline_in_order(self):
        steps: dict[int, datetime.datetime] = {}
        for change in StatusChange.objects.order_by("participant_id", "pk"):
            previous = steps.get(change.participant_id)
            if previous is not None:
                assert previous <= change.at, change.participant_id
            steps[change.participant_id] = change.at
