"""Training sessions attended: group activities that count as training (binome.community)."""

from binome.people.models import Participant


def attended_training_sessions(participant: Participant) -> list[tuple[str, float]]:
    """Return (title, hours) of each training session the participant attended.

    Wired to binome.community's attendance once both apps are in the same tree; until then a
    path that requires sessions can be completed through a coordinator's record (ExternalTraining).
    """
    return []
