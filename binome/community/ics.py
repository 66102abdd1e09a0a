"""Calendar files: one activity (attached to its invitation) and private feeds of many events."""

import datetime
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from binome.community.models import Activity
from binome.duos.ics import meeting_uid
from binome.duos.models import Meeting


def activity_uid(activity: Activity) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "binome.localhost"
    return f"binome-activity-{activity.pk}@{host}"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Binôme//Activities//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def activity_event(activity: Activity, language: str) -> Event:
    """The activity as an event, its texts in `language` where translated."""
    event = Event()
    event.add("uid", activity_uid(activity))
    event.add("sequence", activity.version)
    event.add("dtstamp", activity.updated_at.astimezone(datetime.UTC))
    event.add("dtstart", activity.starts_at.astimezone(datetime.UTC))
    event.add("dtend", activity.ends_at.astimezone(datetime.UTC))
    event.add("summary", str(activity.localized("title", language)))
    location = activity.address or activity.video_link
    if location:
        event.add("location", location)
    if activity.video_link:
        event.add("url", activity.video_link)
    lines = [str(activity.localized("description", language))]
    if activity.accessibility:
        lines.append(f"{_('Accessibility')}: {activity.accessibility}")
    if activity.video_link:
        lines.append(f"{_('Video link')}: {activity.video_link}")
    event.add("description", "\n".join(line for line in lines if line))
    event.add("status", "CANCELLED" if activity.cancelled_at else "CONFIRMED")
    return event


def activity_ics(activity: Activity, language: str) -> bytes:
    """Return one activity as an iCalendar file in `language`."""
    with translation.override(language):
        calendar = _calendar(str(activity.localized("title", language)))
        calendar.add_component(activity_event(activity, language))
    return calendar.to_ical()


def meeting_event(meeting: Meeting) -> Event:
    """A duo's meeting, with the duo's names only (no notes)."""
    duo = meeting.duo
    event = Event()
    event.add("uid", meeting_uid(meeting))
    starts = meeting.starts_at.astimezone(datetime.UTC)
    event.add("dtstamp", starts)
    event.add("dtstart", starts)
    event.add("dtend", starts + datetime.timedelta(minutes=meeting.duration_minutes))
    event.add(
        "summary",
        _("Meeting: %(mentor)s – %(mentee)s")
        % {"mentor": duo.mentor.display_name, "mentee": duo.mentee.display_name},
    )
    return event


def feed_ics(
    name: str, activities: Iterable[Activity], meetings: Iterable[Meeting], language: str
) -> bytes:
    """Return a feed of activities and meetings in `language`."""
    with translation.override(language):
        calendar = _calendar(name)
        for activity in activities:
            calendar.add_component(activity_event(activity, language))
        for meeting in meetings:
            calendar.add_component(meeting_event(meeting))
        calendar.add("x-published-ttl", "PT1H")
    return calendar.to_ical()
