"""Training sessions attended: group activities that count as training (binome.community)."""

from binome.accounts.models import User
from binome.community.models import Activity, Invitation
from binome.people.models import Participant


def attended_training_sessions(participant: Participant) -> list[tuple[str, float]]:
    """Return (title, hours) of each training session the participant attended."""
    invitations = Invitation.objects.filter(
        participant=participant, attended=True, activity__counts_as_training=True
    ).select_related("activity")
    return [(i.activity.title, round(i.activity.hours, 1)) for i in invitations]


def on_attendance(activity: Activity, participant_ids: set[int], actor: User | None) -> None:
    """Derive training_done again for the people whose attendance at a training session changed."""
    from binome.training.services import training_sync

    if not activity.counts_as_training or not participant_ids:
        return
    people = Participant.objects.filter(pk__in=participant_ids).select_related(
        "programme__organisation"
    )
    for participant in people:
        training_sync(participant=participant, actor=actor)
