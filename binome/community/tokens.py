"""One-tap answer links in the invitation e-mail, which work without logging in.

The link names the invitation and the answer, signed with the site's secret key under a salt of
its own: it reveals nothing about the person and cannot be forged or turned into another answer.
"""

from django.core import signing
from django.urls import reverse

from binome.community.models import Invitation

SALT = "binome.community.answer"
ANSWERS = (Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.MAYBE)


def answer_token(invitation: Invitation, answer: str) -> str:
    """Return the signed token that answers `answer` to one invitation."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    return signing.dumps([invitation.pk, invitation.participant_id, answer], salt=SALT)


def answer_path(invitation: Invitation, answer: str) -> str:
    """The link's path in the active language; prefix it with SITE_URL."""
    return reverse("community:answer_link", kwargs={"token": answer_token(invitation, answer)})


def read_answer_token(token: str) -> tuple[Invitation, str] | None:
    """Return the invitation and answer a token carries, or None for a forged or altered one.

    No expiry: answers close by themselves when the activity is over.
    """
    try:
        invitation_id, participant_id, answer = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if answer not in ANSWERS or not isinstance(invitation_id, int):
        return None
    invitation = (
        Invitation.objects.select_related("activity__organisation", "participant")
        .filter(pk=invitation_id, participant_id=participant_id)
        .first()
    )
    if invitation is None:
        return None
    return invitation, answer
