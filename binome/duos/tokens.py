"""Links to the follow-up questionnaire that work without logging in.

Former participants may have no account, or have forgotten their password months after the duo
closed: the link itself proves who it was sent to. It holds only record ids and a side, signed with
the site's secret key, so it reveals nothing about the person and cannot be forged or altered.
It works for FOLLOW_UP_LINK_DAYS after it was made (when the e-mail was sent), not forever.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.urls import reverse

from binome.duos.models import SIDES, FollowUp

# A salt of its own: a value signed for another purpose is never accepted here.
SALT = "binome.duos.follow_up"


def follow_up_token(follow_up: FollowUp, side: str) -> str:
    """Return the signed token that opens the follow-up questionnaire for one side."""
    if side not in SIDES:
        raise ValueError(f"unknown side {side!r}")
    return signing.dumps([follow_up.pk, follow_up.duo_id, side], salt=SALT)


def follow_up_path(follow_up: FollowUp, side: str) -> str:
    """Return the URL path of the questionnaire, in the active language; prefix it with SITE_URL."""
    return reverse("duos:follow_up", kwargs={"token": follow_up_token(follow_up, side)})


@dataclass(frozen=True)
class FollowUpLink:
    follow_up: FollowUp
    side: str


def read_follow_up_token(token: str) -> FollowUpLink | None:
    """Return the follow-up and side a token opens, or None for a forged, altered or stale one."""
    lifetime = datetime.timedelta(days=settings.FOLLOW_UP_LINK_DAYS)
    try:
        follow_up_id, duo_id, side = signing.loads(token, salt=SALT, max_age=lifetime)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if side not in SIDES or not isinstance(follow_up_id, int) or not isinstance(duo_id, int):
        return None
    follow_up = (
        FollowUp.objects.select_related("duo__programme__organisation")
        .filter(pk=follow_up_id, duo_id=duo_id)
        .first()
    )
    if follow_up is None:
        return None
    return FollowUpLink(follow_up=follow_up, side=side)
