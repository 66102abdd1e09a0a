"""The sessions a user is logged in with: recorded at login, touched at most once a minute,
listed on the user's Security page and revoked from there.

A session is Django's database session row; SessionRecord says whose it is. The session key is
a bearer secret and never leaves the server: pages name a session by its record's id.
"""

import datetime
import ipaddress
import re

from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from binome.accounts.models import SessionRecord, User
from binome.core.http import client_address

# In the session itself: when its record was last touched (epoch seconds), and for which key.
SEEN_KEY = "accounts.seen"
TOUCH_EVERY = datetime.timedelta(minutes=1)

# The first match names the browser: Edge and Opera say "Chrome" too, Chrome says "Safari".
_BROWSERS = [
    ("Edg/", "Edge"),
    ("EdgA/", "Edge"),
    ("OPR/", "Opera"),
    ("SamsungBrowser/", "Samsung Internet"),
    ("FxiOS/", "Firefox"),
    ("Firefox/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("CrOS", "ChromeOS"),
    ("Windows", "Windows"),
    ("Macintosh", "macOS"),
    ("Linux", "Linux"),
]
_PRINTABLE = re.compile(r"[^\x20-\x7e]")


def describe_device(user_agent: str) -> str:
    """Return "browser · system" from a User-Agent, coarse enough to say nothing more."""
    user_agent = _PRINTABLE.sub("", user_agent or "")
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def network_of(address: str) -> str:
    """Return the address's network, not the address: a /24 for IPv4, a /48 for IPv6."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def session_record(*, request: HttpRequest, user: User) -> None:
    """Record the request's session as the user's (at login, or a session met without one)."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    try:
        with transaction.atomic():
            SessionRecord.objects.update_or_create(
                session_id=key,
                defaults={"user": user, "last_seen_at": now},
                create_defaults={
                    "user": user,
                    "created_at": now,
                    "last_seen_at": now,
                    "device": describe_device(request.headers.get("User-Agent", ""))[:80],
                    "network": network_of(client_address(request)),
                },
            )
    except IntegrityError:
        # The session row went away meanwhile (logged out, revoked elsewhere): nothing to list.
        return
    request.session[SEEN_KEY] = [key, now.timestamp()]


def session_touch(*, request: HttpRequest, user: User) -> None:
    """Move the session's "last seen" to now: one UPDATE, or a record if it has none yet."""
    key = request.session.session_key
    now = timezone.now()
    if SessionRecord.objects.filter(session_id=key, user=user).update(last_seen_at=now):
        request.session[SEEN_KEY] = [key, now.timestamp()]
    else:
        # A session older than its record (before an upgrade), or one whose key was cycled.
        session_record(request=request, user=user)


def touch_due(request: HttpRequest) -> bool:
    """Say whether the session's record was last touched over a minute ago (or for another key)."""
    seen = request.session.get(SEEN_KEY)
    if not isinstance(seen, list) or len(seen) != 2 or seen[0] != request.session.session_key:
        return True
    last = datetime.datetime.fromtimestamp(float(seen[1]), tz=datetime.UTC)
    return not (datetime.timedelta(0) <= timezone.now() - last < TOUCH_EVERY)


def sessions_of(user: User) -> QuerySet[SessionRecord]:
    """Return the user's sessions that have not expired, the most recently used first."""
    return SessionRecord.objects.filter(
        user=user, session__expire_date__gt=timezone.now()
    ).order_by("-last_seen_at", "-pk")


def _delete_sessions(records: QuerySet[SessionRecord]) -> int:
    keys = list(records.values_list("session_id", flat=True))
    # Deleting the session rows deletes their records; a revoked client is anonymous at its next
    # request, and a request of it still under way cannot save its session back (Django refuses
    # to update a session row that is gone).
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def session_revoke(*, user: User, record_id: int) -> bool:
    """Log out one of the user's sessions; say whether there was one to log out."""
    return _delete_sessions(SessionRecord.objects.filter(user=user, pk=record_id)) > 0


@transaction.atomic
def sessions_revoke_others(*, user: User, keep_key: str | None) -> int:
    """Log out every session of the user but the one with keep_key; return how many."""
    return _delete_sessions(SessionRecord.objects.filter(user=user).exclude(session_id=keep_key))


@transaction.atomic
def sessions_revoke_all(*, user: User) -> int:
    """Log out every session of the user (a lost phone, a second factor reset)."""
    return _delete_sessions(SessionRecord.objects.filter(user=user))
