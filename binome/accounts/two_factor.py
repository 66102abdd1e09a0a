"""Two-factor authentication: an authenticator app (TOTP) and ten single-use recovery codes.

Built on django-otp: its OTPMiddleware marks a session verified once a code was given in it
(`user.otp_device`); until then a user who has a device reaches the code step only, and a staff
member of an organisation that requires a second factor, without a device yet, the enrolment
only (`gate`, run by AccountSecurityMiddleware for every view: one place, default closed).

Guessing is bounded twice: django-otp's exponential back-off per device (per account), and the
login's count of failures per client address (binome.accounts.throttle).
"""

import base64
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from binome.accounts import roles, sessions
from binome.accounts.models import User
from binome.core.audit import audit

RECOVERY_CODES = 10
# In the session: whether its user has a confirmed authenticator, refreshed once a minute.
HAS_DEVICE_KEY = "accounts.has_device"

# What a session waiting for its code, or for its enrolment, may still open.
OPEN_BEFORE_CODE = frozenset({"accounts:two_factor_verify", "accounts:logout", "set_language"})
OPEN_WHILE_ENROLLING = frozenset({"accounts:two_factor_enrol", "accounts:logout", "set_language"})


def is_verified(user: object) -> bool:
    """Say whether this request's user gave a code in this session (set by OTPMiddleware)."""
    return getattr(user, "otp_device", None) is not None


def has_device(user: User) -> bool:
    """Say whether the user has a confirmed authenticator app."""
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def users_with_device(user_ids: list[int]) -> set[int]:
    """Return which of these users have a confirmed authenticator app."""
    found = TOTPDevice.objects.filter(user_id__in=user_ids, confirmed=True)
    return set(found.values_list("user_id", flat=True))


def remember_device(request: HttpRequest, user: User) -> None:
    """Note in the session whether its user has an authenticator (at login, once a minute)."""
    request.session[HAS_DEVICE_KEY] = has_device(user)


def pending_step(request: HttpRequest) -> str | None:
    """Return "verify" or "enrol" when the session must go through that step first, else None."""
    user = request.user
    if not user.is_authenticated or is_verified(user):
        return None
    if request.session.get(HAS_DEVICE_KEY):
        return "verify"
    if roles.two_factor_required(user):
        return "enrol"
    return None


def gate(request: HttpRequest) -> HttpResponse | None:
    """Send a session that owes a code (or an enrolment) there, whatever page it asked for."""
    step = pending_step(request)
    if step is None:
        return None
    match = request.resolver_match
    name = match.view_name if match is not None else ""
    if name in (OPEN_BEFORE_CODE if step == "verify" else OPEN_WHILE_ENROLLING):
        return None
    url = reverse(f"accounts:two_factor_{step}")
    if request.method == "GET":
        url += "?" + urlencode({"next": request.get_full_path()})
    if request.headers.get("HX-Request"):
        # htmx would swap the code page into a fragment: it follows HX-Redirect with a full load.
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return HttpResponseRedirect(url)


def pending_totp(user: User) -> TOTPDevice:
    """Return the user's authenticator being set up, made with a fresh secret if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def secret_text(device: TOTPDevice) -> str:
    """Return the secret as an app's manual entry takes it: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def refused_for_now(device: Device) -> bool:
    """Say whether the device refuses codes for now after too many wrong ones (its back-off)."""
    allowed, _detail = device.verify_is_allowed()
    return not allowed


@transaction.atomic
def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def totp_confirm(*, request: HttpRequest, user: User, device: TOTPDevice, code: str) -> list[str]:
    """Turn the authenticator on if code is its current one; return the new recovery codes.

    Return an empty list, with nothing changed, when the code is wrong.
    """
    locked = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not locked.verify_token(_normalised(code)):
        return []
    TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
    locked.confirmed = True
    locked.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    otp_login(request, locked)
    request.session[HAS_DEVICE_KEY] = True
    audit(actor=user, organisation=None, action="accounts.two_factor.enrol", target=user)
    return codes


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with ten new ones; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit(actor=user, organisation=None, action="accounts.two_factor.recovery_codes", target=user)
    return codes


def recovery_codes_left(user: User) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def _normalised(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def code_device(user: User, code: str) -> Device | None:
    """Return the device a code is for: six digits, the app; anything else, a recovery code."""
    code = _normalised(code)
    model: type[Device] = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
    return model.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def code_verify(*, request: HttpRequest, user: User, device: Device, code: str) -> bool:
    """Check a code at the login's second step; on success the session is verified.

    A recovery code works once: django-otp deletes it as it accepts it.
    """
    # Locked, so that two requests with one recovery code cannot both use it.
    locked = type(device).objects.select_for_update().get(pk=device.pk, user=user)
    if not locked.verify_token(_normalised(code)):
        return False
    otp_login(request, locked)
    if isinstance(locked, StaticDevice):
        audit(
            actor=user,
            organisation=None,
            action="accounts.two_factor.recovery_code_used",
            target=user,
            left=recovery_codes_left(user),
        )
    return True


def _remove_devices(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_disable(*, request: HttpRequest, user: User) -> None:
    """Turn the user's second factor off (the view has checked the password again)."""
    _remove_devices(user)
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[HAS_DEVICE_KEY] = False
    audit(actor=user, organisation=None, action="accounts.two_factor.disable", target=user)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User, organisation: object) -> None:
    """Remove a staff member's second factor (a lost phone) and log them out everywhere.

    They set up a new one at their next login if their organisation requires it. The caller
    has checked that actor administers organisation and that user belongs to it.
    """
    _remove_devices(user)
    sessions.sessions_revoke_all(user=user)
    audit(actor=actor, organisation=organisation, action="accounts.two_factor.reset", target=user)
