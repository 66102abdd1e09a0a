import datetime

import pytest
import time_machine
from babel import dates as babel_dates
from django.core import mail
from django.db import transaction
from django.utils import timezone

from binome.accounts.models import User
from binome.duos.models import (
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUp,
    FollowUpAnswer,
    Meeting,
    Signature,
    SupervisionNote,
)
from binome.matching.models import Proposal
from binome.matching.tests.conftest import make_proposal
from binome.notifications.models import Kind, Notification, OptOut
from binome.notifications.services import MAX_ATTEMPTS
from binome.notifications.tests.conftest import DOWN, WORKING, by_address, sent, to
from binome.people.models import Participant, TeamMember
from binome.testing import make_duo

MAREK, AMINA, CARLA = "marek@a.example", "amina@a.example", "carla@a.example"


@pytest.fixture
def arabic(cast):
    """Amina reads her e-mails in Arabic."""
    Participant.objects.filter(pk=cast.amina_participant.pk).update(language="ar")
    cast.amina_participant.refresh_from_db()
    return cast


def activate(duo, *, days_ago: int = 0) -> Duo:
    """Sign the agreement by all, as if `days_ago` days ago."""
    at = timezone.now() - datetime.timedelta(days=days_ago)
    Agreement.objects.filter(duo=duo).update(frozen_at=at, text_hash="x" * 64)
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.ACTIVE, activated_at=at)
    duo.refresh_from_db()
    return duo


def close(duo, *, on: datetime.date | None = None) -> Duo:
    on = on or timezone.localdate()
    Duo.objects.filter(pk=duo.pk).update(
        status=Duo.Status.CLOSED,
        closed_on=on,
        close_reason=Duo.CloseReason.COMPLETED,
        outcome_notes="OUTCOME-NOTE-for-coordinators",
    )
    duo.refresh_from_db()
    return duo


def plan_meeting(duo, *, in_hours: float, mode=Meeting.Mode.VIDEO, **fields) -> Meeting:
    fields.setdefault("status", Meeting.Status.PLANNED)
    starts_at = timezone.now() + datetime.timedelta(hours=in_hours)
    return Meeting.objects.create(duo=duo, starts_at=starts_at, mode=mode, **fields)


def link_of(message) -> str:
    """The first link of an e-mail body to a page of the site."""
    return next(line for line in message.body.splitlines() if line.startswith("http"))


# 1. Proposals


def test_each_side_of_a_pending_proposal_is_asked_once_in_its_own_language(arabic, run):
    proposal = make_proposal(arabic)
    run()
    messages = by_address(sent(Kind.PROPOSAL))
    assert sorted(messages) == [AMINA, MAREK]
    assert link_of(messages[AMINA]) == f"http://127.0.0.1:8000/ar/proposals/{proposal.pk}/"
    assert messages[AMINA].extra_headers["Content-Language"] == "ar"
    assert link_of(messages[MAREK]) == f"http://127.0.0.1:8000/fr/proposals/{proposal.pk}/"
    run()
    assert len(sent(Kind.PROPOSAL)) == 2


def test_a_side_that_answered_is_not_asked(cast, run):
    proposal = make_proposal(cast)
    Proposal.objects.filter(pk=proposal.pk).update(mentor_answer=Proposal.Answer.ACCEPTED)
    run()
    assert to(sent(Kind.PROPOSAL)) == [AMINA]


def test_a_team_is_written_to_through_its_representative(cast, run):
    from binome.people import services as people

    team = people.participant_create(
        programme=cast.programme,
        role=Participant.Role.MENTOR,
        kind=Participant.Kind.TEAM,
        team_name="Ville de Gdańsk",
        email="city@gdansk.example",
        members=[
            {"name": "Ewa", "email": "ewa@gdansk.example", "is_representative": False},
            {"name": "Piotr", "email": "piotr@gdansk.example", "is_representative": True},
        ],
    )
    make_proposal(cast, mentor=team)
    run()
    # Piotr has no account yet: the proposal page would stop him at the login.
    assert to(sent(Kind.PROPOSAL)) == [AMINA]
    User.objects.create_user(email="piotr@gdansk.example", password=None)
    Notification.objects.all().delete()
    mail.outbox.clear()
    run()
    assert to(sent(Kind.PROPOSAL)) == [AMINA, "piotr@gdansk.example"]
    TeamMember.objects.filter(participant=team).update(is_representative=False)
    team.user = User.objects.create_user(email="city@gdansk.example", password=None)
    team.save(update_fields=["user"])
    mail.outbox.clear()
    Notification.objects.all().delete()
    run()
    assert to(sent(Kind.PROPOSAL)) == [AMINA, "city@gdansk.example"]


def test_a_person_without_an_account_gets_no_link_to_a_login_page(cast, run):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(user=None)
    make_proposal(cast)
    run()
    assert to(sent(Kind.PROPOSAL)) == [AMINA]


def test_a_participant_without_an_address_is_skipped(cast, run):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(email="")
    make_proposal(cast)
    run()
    assert to(sent(Kind.PROPOSAL)) == [AMINA]


# 2. Agreements


def test_every_party_that_has_not_signed_is_asked_to_sign(arabic, run):
    duo = make_duo(arabic)
    run()
    messages = by_address(sent(Kind.AGREEMENT))
    assert sorted(messages) == [AMINA, CARLA, MAREK]
    assert link_of(messages[AMINA]).endswith(f"/ar/duos/{duo.pk}/agreement/")
    assert link_of(messages[CARLA]).endswith(f"/fr/duos/{duo.pk}/agreement/")
    assert "/unsubscribe/" in messages[MAREK].body
    run()
    assert len(sent(Kind.AGREEMENT)) == 3


def test_a_coordinator_who_unsubscribed_is_no_longer_asked_to_sign(cast, client, run):
    first = make_duo(cast)
    run()
    (message,) = [m for m in sent(Kind.AGREEMENT) if m.to == [CARLA]]
    url = next(line for line in message.body.splitlines() if "/unsubscribe/" in line)
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert "/fr/me/notifications/" in message.body
    # The mail client's one-click POST, without a session.
    assert client.post(url.removeprefix("http://127.0.0.1:8000")).status_code == 200
    assert OptOut.objects.filter(user=cast.carla, kind=Kind.AGREEMENT).exists()
    # The next duo she coordinates (the first one ended early).
    mail.outbox.clear()
    Duo.objects.filter(pk=first.pk).update(status=Duo.Status.CLOSED)
    make_duo(cast)
    run()
    # The duo's two sides are still asked; the coordinator is not.
    assert to(sent(Kind.AGREEMENT)) == [AMINA, MAREK]


def test_a_party_that_signed_is_not_asked(cast, run):
    duo = make_duo(cast)
    Signature.objects.create(
        agreement=duo.agreement,
        party=Signature.Party.MENTOR,
        method=Signature.Method.ONLINE,
        typed_name="Marek Nowak",
        language="fr",
        text_hash="x" * 64,
        signed_at=timezone.now(),
    )
    run()
    assert to(sent(Kind.AGREEMENT)) == [AMINA, CARLA]


def test_a_participant_s_e_mail_offers_a_one_click_unsubscribe_to_mail_clients(cast, run):
    make_duo(cast)
    run()
    message = by_address(sent(Kind.AGREEMENT))[MAREK]
    raw = message.message().as_bytes().decode()
    # Unfolded and unencoded: mail clients read the URL to show their unsubscribe button.
    url = next(line for line in message.body.splitlines() if "/unsubscribe/" in line)
    assert f"List-Unsubscribe: <{url}>" in raw
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw


def test_a_frozen_agreement_asks_nobody(cast, run):
    activate(make_duo(cast))
    run()
    assert sent(Kind.AGREEMENT) == []


def test_the_coordinator_is_written_to_in_their_own_language(cast, run):
    cast.carla.language = "en"
    cast.carla.save(update_fields=["language"])
    duo = make_duo(cast)
    run()
    message = by_address(sent(Kind.AGREEMENT))[CARLA]
    assert message.extra_headers["Content-Language"] == "en"
    assert link_of(message).endswith(f"/en/duos/{duo.pk}/agreement/")
    assert "Marek Nowak – Amina Haddad" in message.body


# 3. Meeting reminders


def test_both_sides_are_reminded_of_a_meeting_with_its_calendar_file(arabic, run, settings):
    duo = activate(make_duo(arabic))
    meeting = plan_meeting(duo, in_hours=5)
    run()
    messages = by_address(sent(Kind.MEETING_REMINDER))
    assert sorted(messages) == [AMINA, MAREK]
    for message in messages.values():
        (filename, content, mimetype) = message.attachments[0]
        assert (filename, mimetype) == ("meeting.ics", "text/calendar")
        assert f"binome-meeting-{meeting.pk}@" in content
        assert duo.video_link in message.body
    assert link_of(messages[AMINA]).endswith(f"/ar/duos/{duo.pk}/meetings/")
    assert "Amina Haddad" in messages[MAREK].body
    run()
    assert len(sent(Kind.MEETING_REMINDER)) == 2


def test_the_reminder_writes_the_meeting_s_date_in_each_reader_s_words(arabic, run):
    duo = activate(make_duo(arabic))
    meeting = plan_meeting(duo, in_hours=5)
    run()
    messages = by_address(sent(Kind.MEETING_REMINDER))
    local = timezone.localtime(meeting.starts_at)
    for address, language in ((AMINA, "ar"), (MAREK, "fr")):
        day = babel_dates.format_date(local.date(), "long", locale=language)
        assert day in messages[address].body, (language, messages[address].body)
        assert babel_dates.format_time(local.time(), "short", locale=language) in (
            messages[address].body
        )


def test_a_meeting_further_away_than_the_reminder_delay_is_not_reminded_yet(cast, run, settings):
    settings.MEETING_REMINDER_HOURS = 24
    duo = activate(make_duo(cast))
    meeting = plan_meeting(duo, in_hours=30)
    run()
    assert sent(Kind.MEETING_REMINDER) == []
    with time_machine.travel(meeting.starts_at - datetime.timedelta(hours=23), tick=False):
        run()
    assert len(sent(Kind.MEETING_REMINDER)) == 2


def test_a_rescheduled_meeting_is_reminded_again(cast, run):
    duo = activate(make_duo(cast))
    meeting = plan_meeting(duo, in_hours=5, mode=Meeting.Mode.IN_PERSON, place="Café Prado")
    run()
    assert "Café Prado" in sent(Kind.MEETING_REMINDER)[0].body
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at + datetime.timedelta(hours=2)
    )
    run()
    assert len(sent(Kind.MEETING_REMINDER)) == 4


def test_cancelled_meetings_and_closed_duos_are_not_reminded(cast, run):
    duo = activate(make_duo(cast))
    plan_meeting(duo, in_hours=5, status=Meeting.Status.CANCELLED)
    run()
    assert sent(Kind.MEETING_REMINDER) == []
    plan_meeting(duo, in_hours=6)
    close(duo)
    run()
    assert sent(Kind.MEETING_REMINDER) == []


# 4. Check-ins


def test_a_side_silent_for_a_month_is_asked_once_that_month(arabic, run):
    duo = activate(make_duo(arabic, started_on=timezone.localdate()), days_ago=31)
    run()
    messages = by_address(sent(Kind.CHECKIN))
    assert sorted(messages) == [AMINA, MAREK]
    assert link_of(messages[AMINA]).endswith(f"/ar/duos/{duo.pk}/check-in/")
    run()
    assert len(sent(Kind.CHECKIN)) == 2
    with time_machine.travel(timezone.now() + datetime.timedelta(days=32), tick=False):
        run()
    assert len(sent(Kind.CHECKIN)) == 4


def test_a_request_on_the_31st_is_not_sent_again_on_the_1st(cast, run):
    paris = timezone.get_current_timezone()
    with time_machine.travel(datetime.datetime(2027, 1, 1, 9, tzinfo=paris), tick=False):
        activate(make_duo(cast, started_on=timezone.localdate()), days_ago=0)
    with time_machine.travel(datetime.datetime(2027, 1, 31, 10, tzinfo=paris), tick=False):
        run()
    assert len(sent(Kind.CHECKIN)) == 2
    with time_machine.travel(datetime.datetime(2027, 2, 1, 10, tzinfo=paris), tick=False):
        run()
    assert len(sent(Kind.CHECKIN)) == 2
    # Still no answer a month later: asked once more.
    with time_machine.travel(datetime.datetime(2027, 3, 2, 10, tzinfo=paris), tick=False):
        run()
    assert len(sent(Kind.CHECKIN)) == 4


def test_a_side_that_checked_in_lately_is_not_asked(cast, run):
    duo = activate(make_duo(cast), days_ago=40)
    CheckIn.objects.create(duo=duo, side="mentee", mood=4, created_at=timezone.now())
    run()
    assert to(sent(Kind.CHECKIN)) == [MAREK]


def test_a_side_is_asked_after_a_meeting_held_since_its_last_check_in(cast, run):
    duo = activate(make_duo(cast), days_ago=10)
    CheckIn.objects.create(
        duo=duo, side="mentee", mood=4, created_at=timezone.now() - datetime.timedelta(days=5)
    )
    run()
    assert sent(Kind.CHECKIN) == []
    Meeting.objects.create(
        duo=duo, status=Meeting.Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=1)
    )
    run()
    assert to(sent(Kind.CHECKIN)) == [AMINA, MAREK]


# 5. Overdue nudges


def test_a_duo_without_meetings_for_too_long_gets_a_gentle_nudge(arabic, run):
    started = timezone.localdate() - datetime.timedelta(days=40)
    duo = activate(make_duo(arabic, started_on=started), days_ago=40)
    run()
    alert = Alert.objects.get(duo=duo, kind=Alert.Kind.NO_MEETING, resolved_at=None)
    messages = by_address(sent(Kind.OVERDUE))
    assert sorted(messages) == [AMINA, MAREK]
    assert link_of(messages[AMINA]).endswith(f"/ar/duos/{duo.pk}/meetings/new/")
    assert Notification.objects.filter(key__startswith=f"overdue:alert={alert.pk}:").count() == 2
    run()
    assert len(sent(Kind.OVERDUE)) == 2


def test_a_resolved_alert_nudges_nobody(cast, run):
    started = timezone.localdate() - datetime.timedelta(days=40)
    duo = activate(make_duo(cast, started_on=started), days_ago=40)
    Meeting.objects.create(
        duo=duo, status=Meeting.Status.HELD, starts_at=timezone.now() - datetime.timedelta(days=2)
    )
    run()
    assert sent(Kind.OVERDUE) == []


# 6. Closure


def test_each_side_of_a_closed_duo_gets_the_closing_questionnaire_until_it_answers(arabic, run):
    duo = close(activate(make_duo(arabic)))
    ClosingFeedback.objects.create(duo=duo, side="mentor", rating=5, at=timezone.now())
    run()
    messages = by_address(sent(Kind.CLOSURE))
    assert sorted(messages) == [AMINA]
    assert link_of(messages[AMINA]).endswith(f"/ar/duos/{duo.pk}/feedback/")
    run()
    assert len(sent(Kind.CLOSURE)) == 1


def test_a_duo_closed_long_ago_is_left_alone(cast, run):
    close(activate(make_duo(cast)), on=timezone.localdate() - datetime.timedelta(days=90))
    run()
    assert sent(Kind.CLOSURE) == []


# 7. Follow-up


def test_the_follow_up_goes_to_both_sides_on_its_day(arabic, run):
    duo = close(activate(make_duo(arabic)))
    follow_up = FollowUp.objects.create(
        duo=duo, due_on=timezone.localdate() + datetime.timedelta(days=90)
    )
    run()
    assert sent(Kind.FOLLOW_UP) == []
    with time_machine.travel(timezone.now() + datetime.timedelta(days=90), tick=False):
        run()
    messages = by_address(sent(Kind.FOLLOW_UP))
    assert sorted(messages) == [AMINA, MAREK]
    assert "/ar/" in link_of(messages[AMINA])
    assert "/fr/" in link_of(messages[MAREK])
    from binome.duos.tokens import read_follow_up_token

    token = link_of(messages[AMINA]).rstrip("/").rsplit("/", 1)[-1]
    opened = read_follow_up_token(token)
    assert opened is not None
    assert (opened.follow_up.pk, opened.side) == (follow_up.pk, "mentee")


def test_a_side_that_answered_the_follow_up_is_not_asked(cast, run):
    duo = close(activate(make_duo(cast)))
    follow_up = FollowUp.objects.create(duo=duo, due_on=timezone.localdate())
    FollowUpAnswer.objects.create(
        follow_up=follow_up, side="mentee", usefulness=4, answered_at=timezone.now()
    )
    run()
    assert to(sent(Kind.FOLLOW_UP)) == [MAREK]


# Opt-out


def test_an_opted_out_kind_is_neither_sent_nor_recorded(cast, run):
    activate(make_duo(cast), days_ago=31)
    OptOut.objects.create(participant=cast.amina_participant, kind=Kind.CHECKIN)
    outcome = run()
    assert to(sent(Kind.CHECKIN)) == [MAREK]
    assert outcome.opted_out == 1
    assert not Notification.objects.filter(participant=cast.amina_participant, kind="checkin")
    OptOut.objects.all().delete()
    run()
    assert to(sent(Kind.CHECKIN)) == [AMINA, MAREK]


def test_an_opt_out_of_one_kind_leaves_the_others(cast, run):
    make_duo(cast)
    OptOut.objects.create(participant=cast.amina_participant, kind=Kind.CHECKIN)
    run()
    assert to(sent(Kind.AGREEMENT)) == [AMINA, CARLA, MAREK]


# Failures, retries, transactions


def test_a_failed_send_is_retried_on_the_next_run(cast, run, settings):
    make_duo(cast)
    settings.MAILERS = DOWN
    run()
    assert mail.outbox == []
    rows = Notification.objects.all()
    assert len(rows) == 3
    assert all(row.sent_at is None and row.attempts == 1 for row in rows)
    settings.MAILERS = WORKING
    run()
    assert to(sent(Kind.AGREEMENT)) == [AMINA, CARLA, MAREK]
    assert all(row.sent_at and row.attempts == 2 for row in Notification.objects.all())
    run()
    assert len(mail.outbox) == 3


def test_a_send_that_keeps_failing_is_given_up(cast, run, settings):
    make_duo(cast)
    settings.MAILERS = DOWN
    for _attempt in range(MAX_ATTEMPTS + 2):
        run()
    assert set(Notification.objects.values_list("attempts", flat=True)) == {MAX_ATTEMPTS}
    settings.MAILERS = WORKING
    run()
    assert mail.outbox == []


def test_nothing_is_sent_or_recorded_when_the_transaction_rolls_back(
    cast, django_capture_on_commit_callbacks
):
    from binome.notifications.dispatch import notifications_run

    make_duo(cast)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications_run()
        raise RuntimeError("rolled back")
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_an_e_mail_that_cannot_be_prepared_does_not_hold_back_the_others(
    cast, django_capture_on_commit_callbacks
):
    from binome.notifications.dispatch import participant_recipient
    from binome.notifications.services import Message, notifications_send

    recipient = participant_recipient(cast.amina_participant)
    assert recipient is not None
    broken = Message("no_such_kind", "broken:1", recipient, context={"link": "x"})
    fine = Message(Kind.CHECKIN, "fine:1", recipient, context={"link": "x", "programme": "P"})
    with django_capture_on_commit_callbacks(execute=True):
        outcome = notifications_send([broken, fine])
    assert (outcome.failed, outcome.claimed) == (1, 1)
    assert list(Notification.objects.values_list("key", flat=True)) == ["fine:1"]
    assert to(mail.outbox) == [AMINA]


def test_the_sent_log_keeps_no_address_or_content(cast, run):
    make_duo(cast)
    run()
    for row in Notification.objects.values():
        assert "@" not in str(row)


# Privacy


SECRETS = [
    "PRIVATE-MEETING-NOTE",
    "SUPERVISION-NOTE",
    "OUTCOME-NOTE",
    "Private intake note",
    "Asylum seeker",
    "asylum_seeker",
]


def test_no_e_mail_of_any_kind_carries_coordinator_only_data(cast, run):
    started = timezone.localdate() - datetime.timedelta(days=40)
    duo = activate(make_duo(cast, started_on=started), days_ago=40)
    plan_meeting(duo, in_hours=3, private_notes="PRIVATE-MEETING-NOTE", shared_notes="Bring CV")
    SupervisionNote.objects.create(duo=duo, text="SUPERVISION-NOTE", at=timezone.now())
    Duo.objects.filter(pk=duo.pk).update(outcome_notes="OUTCOME-NOTE")
    make_proposal(cast)
    run()
    close(duo)
    FollowUp.objects.create(duo=duo, due_on=timezone.localdate())
    run()
    kinds = {message.extra_headers["X-Binome-Notification"] for message in mail.outbox}
    # The kinds the apps above send are checked by those apps' own tests.
    from_above = {Kind.QUESTIONNAIRE, Kind.ACTIVITY, Kind.ANNOUNCEMENT, Kind.TRAINING}
    assert kinds == set(Kind.values) - {Kind.AGREEMENT} - from_above
    for message in mail.outbox:
        text = str(message.subject) + str(message.body)
        text += "".join(str(content) for _name, content, _type in message.attachments)
        for secret in SECRETS:
            assert secret not in text, (message.extra_headers, secret)


# Cost


def add_duos(cast, count: int) -> None:
    """More active duos, silent for a month, each with its own two people."""
    for number in range(count):
        people = []
        for role in ("mentor", "mentee"):
            email = f"{role}{number}-{Participant.objects.count()}@a.example"
            people.append(
                Participant.objects.create(
                    programme=cast.programme,
                    role=role,
                    first_name=f"{role}{number}",
                    last_name="Test",
                    email=email,
                    status=Participant.Status.MATCHED,
                    user=User.objects.create_user(email=email, password=None),
                )
            )
        duo = Duo.objects.create(
            programme=cast.programme,
            mentor=people[0],
            mentee=people[1],
            started_on=timezone.localdate(),
            planned_end_on=timezone.localdate() + datetime.timedelta(days=180),
        )
        activate(duo, days_ago=31)


def queries_of_a_second_run(run) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()
    with CaptureQueriesContext(connection) as queries:
        run()
    return len(queries)


def test_a_run_with_nothing_new_costs_the_same_for_few_or_many_duos(cast, run):
    add_duos(cast, 2)
    few = queries_of_a_second_run(run)
    add_duos(cast, 10)
    many = queries_of_a_second_run(run)
    assert len(sent(Kind.CHECKIN)) == 24
    assert many == few


def test_a_coordinator_who_left_the_organisation_gets_nothing_and_is_no_longer_the_contact(
    cast, run
):
    from binome.accounts.models import Membership

    cast.org_a.contact_email = "contact@a.example"
    cast.org_a.save()
    duo = make_duo(cast)
    run()
    assert by_address(sent(Kind.AGREEMENT))[AMINA].reply_to == [CARLA]
    # Carla is now a viewer: the duo keeps her name on record, its e-mails leave her out.
    Membership.objects.filter(user=cast.carla).update(role=Membership.Role.VIEWER)
    mail.outbox.clear()
    Notification.objects.all().delete()
    run()
    messages = by_address(sent(Kind.AGREEMENT))
    assert sorted(messages) == [AMINA, MAREK]
    assert messages[AMINA].reply_to == ["contact@a.example"]
    duo.refresh_from_db()
    assert duo.coordinator == cast.carla and duo.acting_coordinator is None
