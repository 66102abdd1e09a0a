"""The calendar file of a meeting: shared information only, never the coordinators' notes."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from binome.duos.models import Meeting
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

# How long before the meeting the calendar rings.
ALARM_BEFORE = datetime.timedelta(hours=1)


def meeting_uid(meeting: Meeting) -> str:
    """A UID stable per meeting, so that a new file updates the event instead of adding one."""
    host = urlsplit(settings.SITE_URL).hostname or "binome.localhost"
    return f"binome-meeting-{meeting.pk}@{host}"


def _location(meeting: Meeting, video_link: str) -> str:
    if meeting.mode == Meeting.Mode.VIDEO:
        return video_link
    if meeting.mode == Meeting.Mode.PHONE:
        return _("By phone")
    return meeting.place


def _description(meeting: Meeting, video_link: str, page: str) -> str:
    """What both sides may read: mode, duration, themes, support, shared notes, links."""
    lists = vocabulary_of(meeting.duo.programme)
    lines = [
        f"{_('Mode')}: {lists.text(Vocabulary.MEETING_MODES, meeting.mode)}",
        f"{_('Duration')}: " + _("%(minutes)s min") % {"minutes": meeting.duration_minutes},
    ]
    if meeting.mode == Meeting.Mode.VIDEO and video_link:
        lines.append(f"{_('Video link')}: {video_link}")
    if meeting.themes:
        themes = [lists.text(Vocabulary.THEMES, code) for code in meeting.themes]
        lines.append(f"{_('Themes')}: {', '.join(themes)}")
    if meeting.supports:
        kinds = [lists.text(Vocabulary.SUPPORTS, code) for code in meeting.supports]
        lines.append(f"{_('Support')}: {'; '.join(kinds)}")
    if meeting.shared_notes:
        lines += ["", meeting.shared_notes]
    lines += ["", page]
    return "\n".join(lines)


def meeting_ics(meeting: Meeting, language: str) -> bytes:
    """Return the meeting as an iCalendar file in `language` (times in UTC, with an alarm)."""
    duo = meeting.duo
    video_link = duo.video_link
    with translation.override(language):
        page = settings.SITE_URL.rstrip("/") + reverse("duos:meetings", args=[duo.pk])
        starts = meeting.starts_at.astimezone(datetime.UTC)
        summary = _("Binôme: %(mentor)s – %(mentee)s") % {
            "mentor": duo.mentor.display_name,
            "mentee": duo.mentee.display_name,
        }
        calendar = Calendar()
        calendar.add("prodid", "-//Binôme//Meetings//EN")
        calendar.add("version", "2.0")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", meeting_uid(meeting))
        # Calendars replace an event whose sequence grew: each save bumps the version.
        event.add("sequence", meeting.version)
        event.add("dtstamp", (meeting.updated_at or starts).astimezone(datetime.UTC))
        event.add("dtstart", starts)
        event.add("dtend", starts + datetime.timedelta(minutes=meeting.duration_minutes))
        event.add("summary", summary)
        location = _location(meeting, video_link)
        if location:
            event.add("location", location)
        if meeting.mode == Meeting.Mode.VIDEO and video_link:
            event.add("url", video_link)
        event.add("description", _description(meeting, video_link, page))
        cancelled = meeting.status == Meeting.Status.CANCELLED
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        if not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", summary)
            alarm.add("trigger", -ALARM_BEFORE)
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
