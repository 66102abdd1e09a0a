"""May this user touch this activity, invitation, announcement or feed? 404 for missing and
forbidden alike."""

from django.http import Http404

from binome.accounts.roles import FIGURES_ROLES, STAFF_ROLES, role_in
from binome.community.models import Activity, Announcement, CalendarFeed, Invitation
from binome.people.models import Participant


def access_activity(user: object, activity_id: int) -> Activity:
    """An activity of an organisation where the user is coordinator or admin."""
    activity = Activity.objects.select_related("organisation").filter(pk=activity_id).first()
    if activity is None:
        raise Http404
    if role_in(user, activity.organisation_id) not in STAFF_ROLES:
        raise Http404
    return activity


def own_participant(user: object) -> Participant:
    """The participant record of the logged-in mentor or mentee, else 404."""
    participant = (
        Participant.objects.select_related("programme__organisation")
        .filter(user_id=getattr(user, "pk", None))
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if participant is None:
        raise Http404
    return participant


def access_own_invitation(user: object, invitation_id: int) -> Invitation:
    """An invitation addressed to the logged-in participant."""
    participant = own_participant(user)
    invitation = (
        Invitation.objects.select_related("activity__organisation")
        .filter(pk=invitation_id, participant=participant)
        .first()
    )
    if invitation is None:
        raise Http404
    invitation.participant = participant
    return invitation


def access_announcement(user: object, announcement_id: int) -> Announcement:
    """An announcement read by staff of its organisation, or by a person of its audience."""
    from binome.community.selectors import announcements_for_participant

    announcement = (
        Announcement.objects.select_related("organisation").filter(pk=announcement_id).first()
    )
    if announcement is None or announcement.published_at is None:
        raise Http404
    if role_in(user, announcement.organisation_id) in FIGURES_ROLES:
        return announcement
    participant = own_participant(user)
    if not announcements_for_participant(participant).filter(pk=announcement.pk).exists():
        raise Http404
    return announcement


def access_feed(user: object, feed_id: int) -> CalendarFeed:
    """A calendar address the user may revoke: her own, or a programme's she coordinates."""
    feed = (
        CalendarFeed.objects.select_related("participant", "programme")
        .filter(pk=feed_id, revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        raise Http404
    if feed.participant is not None and feed.participant.user_id == getattr(user, "pk", None):
        return feed
    if feed.programme is not None and role_in(user, feed.programme.organisation_id) in STAFF_ROLES:
        return feed
    raise Http404
