"""A coordinator's to-do from partners: referrals still without an outcome after a month."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from binome.accounts.roles import organisation_ids
from binome.core.next_steps import OTHER, NextStep
from binome.partners.models import Referral

# A partner usually answers within a few weeks; after that the coordinator asks again.
WAITING_FOR = datetime.timedelta(days=30)


def referrals_to_follow_up(user: object) -> list[NextStep]:
    """One to-do per organisation whose referrals wait for an outcome for over a month."""
    ids = organisation_ids(user)
    if not ids:
        return []
    waiting = (
        Referral.objects.filter(
            partner__organisation_id__in=ids,
            outcome=Referral.Outcome.PENDING,
            referred_on__lte=timezone.localdate() - WAITING_FOR,
        )
        .values("partner__organisation_id")
        .annotate(count=Count("pk"))
        .order_by("partner__organisation_id")
    )
    return [
        NextStep(
            order=OTHER,
            title=ngettext(
                "%(count)d referral to a partner without an outcome for a month",
                "%(count)d referrals to partners without an outcome for a month",
                row["count"],
            )
            % {"count": row["count"]},
            url=reverse("partners:list", args=[row["partner__organisation_id"]]),
            action=_("Ask the partners"),
            count=row["count"],
        )
        for row in waiting
    ]
