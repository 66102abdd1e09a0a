from binome.community import services
from binome.community.tests.helpers import plan
from binome.privacy.subject import subject_data


def test_her_answers_and_attendance_are_in_her_data_export(cast):
    activity = plan(cast)
    invitation = activity.invitations.get(participant=cast.amina_participant)
    services.invitation_answer(invitation=invitation, answer="yes", actor=None)
    rows = subject_data(cast.amina_participant, scope="full")["activities"]
    assert [(row["activity"], row["answer"]) for row in rows] == [(activity.title, "yes")]
