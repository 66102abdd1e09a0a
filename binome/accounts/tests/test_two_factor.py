"""Two-step login: an authenticator app's code (TOTP) or a recovery code after the password."""

import datetime
import re
import time

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from binome.core.models import AuditEvent
from binome.testing import PASSWORD, ROLES, totp_code

pytestmark = pytest.mark.django_db

STEP = 30


def login(client: Client, email: str, password: str = PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}, **extra
    )


def logged_in_client(email: str) -> Client:
    client = Client()
    assert login(client, email).status_code == 302
    return client


def secret_on_page(response) -> str:
    """The key as the enrolment page prints it for manual entry."""
    found = re.search(r'<p class="secret" id="secret">([A-Z2-7 ]+)</p>', response.content.decode())
    assert found, "the enrolment page shows the secret"
    return found.group(1)


def enrol(client: Client) -> tuple[str, list[str]]:
    """Set up the authenticator as a person would; return its secret and the recovery codes."""
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    secret = secret_on_page(page)
    response = client.post(reverse("accounts:two_factor_enrol"), {"code": totp_code(secret)})
    assert response.status_code == 200
    return secret, list(response.context["codes"])


def next_code(secret: str, steps: int = 1) -> str:
    # A code is accepted once: the next time step's code (the app's tolerance) logs in again.
    return totp_code(secret, at=time.time() + steps * STEP)


def after_the_back_off():
    # One wrong code makes the device wait a second before it checks another (django-otp).
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=2))


def staff_page_status(client: Client) -> int:
    return client.get(reverse("programmes:list")).status_code


def test_enrolling_takes_the_app_s_current_code_and_gives_ten_single_use_recovery_codes(cast):
    carla = logged_in_client("carla@a.example")
    page = carla.get(reverse("accounts:two_factor_enrol"))
    secret = secret_on_page(page)
    assert "<svg" in page.content.decode()  # the QR code, drawn in the page
    wrong = carla.post(reverse("accounts:two_factor_enrol"), {"code": "000000"})
    assert wrong.templates[0].name == "accounts/two_factor_enrol.html"
    assert not TOTPDevice.objects.filter(user=cast.carla, confirmed=True).exists()

    with after_the_back_off():
        response = carla.post(reverse("accounts:two_factor_enrol"), {"code": next_code(secret)})

    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert response["Cache-Control"] == "no-store"
    device = TOTPDevice.objects.get(user=cast.carla, confirmed=True)
    assert device.bin_key.hex() == device.key  # the secret shown is this device's key
    assert AuditEvent.objects.filter(action="accounts.two_factor.enrol", actor=cast.carla).exists()
    # The enrolling session is verified at once.
    assert staff_page_status(carla) == 200


def test_after_the_password_a_user_with_the_app_reaches_nothing_before_the_code(cast):
    secret, _codes = enrol(logged_in_client("carla@a.example"))
    client = Client()
    response = login(client, "carla@a.example", next="/")
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    for name in ("programmes:list", "duos:board", "accounts:security", "home"):
        page = client.get(reverse(name))
        assert page.status_code == 302, name
        assert page["Location"].startswith(reverse("accounts:two_factor_verify")), name
    # A write is refused the same way, before the view runs.
    assert client.post(reverse("programmes:create"), {}).status_code == 302

    wrong = client.post(reverse("accounts:two_factor_verify"), {"code": "123456"})
    assert wrong.status_code == 200 and staff_page_status(client) == 302
    with after_the_back_off():
        right = client.post(reverse("accounts:two_factor_verify"), {"code": next_code(secret)})

    assert right.status_code == 302
    assert staff_page_status(client) == 200


def test_the_same_app_code_does_not_log_in_twice(cast):
    secret, _codes = enrol(logged_in_client("carla@a.example"))
    code = next_code(secret)
    first, second = Client(), Client()
    login(first, "carla@a.example")
    login(second, "carla@a.example")
    first.post(reverse("accounts:two_factor_verify"), {"code": code})
    second.post(reverse("accounts:two_factor_verify"), {"code": code})
    assert staff_page_status(first) == 200
    assert staff_page_status(second) == 302


def test_a_recovery_code_logs_in_once_and_its_use_is_audited(cast):
    _secret, codes = enrol(logged_in_client("carla@a.example"))
    client = Client()
    login(client, "carla@a.example")
    client.post(reverse("accounts:two_factor_verify"), {"code": codes[0].upper()})
    assert staff_page_status(client) == 200
    event = AuditEvent.objects.get(action="accounts.two_factor.recovery_code_used")
    assert event.actor == cast.carla and event.detail == {"left": 9}

    again = Client()
    login(again, "carla@a.example")
    response = again.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert response.status_code == 200
    assert staff_page_status(again) == 302
    assert StaticToken.objects.filter(device__user=cast.carla).count() == 9


def test_new_recovery_codes_replace_the_old_ones(cast):
    carla = logged_in_client("carla@a.example")
    _secret, old = enrol(carla)
    response = carla.post(reverse("accounts:two_factor_recovery_codes"))
    new = response.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    client = Client()
    login(client, "carla@a.example")
    client.post(reverse("accounts:two_factor_verify"), {"code": old[1]})
    assert staff_page_status(client) == 302
    with after_the_back_off():
        client.post(reverse("accounts:two_factor_verify"), {"code": new[1]})
    assert staff_page_status(client) == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor.recovery_codes").count() == 1


def test_wrong_codes_make_the_account_wait_even_for_the_right_code(cast):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        secret, _codes = enrol(logged_in_client("carla@a.example"))
        client = Client()
        login(client, "carla@a.example")
        for _ in range(5):
            client.post(reverse("accounts:two_factor_verify"), {"code": "000000"})
        # Five failures: django-otp refuses any code for 2**4 seconds, the right one too.
        response = client.post(reverse("accounts:two_factor_verify"), {"code": next_code(secret)})
        assert "Trop de codes erronés" in response.content.decode()
        assert staff_page_status(client) == 302
    with time_machine.travel(start + datetime.timedelta(seconds=20), tick=False):
        client.post(reverse("accounts:two_factor_verify"), {"code": next_code(secret)})
        assert staff_page_status(client) == 200


def test_code_guessing_from_one_address_is_cut_off_like_password_guessing(cast):
    limit = int(settings.LOGIN_FAILURE_RATE.split("/")[0])
    secret, _codes = enrol(logged_in_client("carla@a.example"))
    client = Client(REMOTE_ADDR="203.0.113.7")
    login(client, "carla@a.example")
    for _ in range(limit):
        client.post(reverse("accounts:two_factor_verify"), {"code": "999999"})
    response = client.post(reverse("accounts:two_factor_verify"), {"code": next_code(secret)})
    assert response.status_code == 429
    assert staff_page_status(client) == 302


def require_two_factor(organisation) -> None:
    organisation.require_two_factor = True
    organisation.save(update_fields=["require_two_factor"])


@pytest.mark.parametrize("email", ["carla@a.example", "adam@a.example"])
def test_staff_of_an_organisation_that_requires_it_set_it_up_before_anything_else(cast, email):
    require_two_factor(cast.org_a)
    client = logged_in_client(email)
    for name in ("programmes:list", "duos:board", "accounts:security", "home"):
        page = client.get(reverse(name))
        assert page.status_code == 302, name
        assert page["Location"].startswith(reverse("accounts:two_factor_enrol")), name
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    assert "Votre organisation exige" in page.content.decode()
    enrol(client)
    assert staff_page_status(client) == 200


@pytest.mark.parametrize("email", ["marek@a.example", "amina@a.example", "vera@a.example"])
def test_mentors_mentees_and_viewers_are_never_made_to_set_it_up(cast, email):
    require_two_factor(cast.org_a)
    client = logged_in_client(email)
    assert client.get(reverse("home")).status_code == 302
    assert not client.get(reverse("home"))["Location"].startswith(
        reverse("accounts:two_factor_enrol")
    )
    assert client.get(reverse("accounts:security")).status_code == 200


def test_a_mentee_may_turn_it_on_for_herself_and_is_then_asked_for_the_code(cast):
    secret, _codes = enrol(logged_in_client("amina@a.example"))
    client = Client()
    login(client, "amina@a.example")
    assert client.get(reverse("people:my_space")).status_code == 302
    client.post(reverse("accounts:two_factor_verify"), {"code": next_code(secret)})
    assert client.get(reverse("people:my_space")).status_code == 200


def test_another_organisation_s_requirement_does_not_reach_organisation_a(cast):
    require_two_factor(cast.org_b)
    assert staff_page_status(logged_in_client("carla@a.example")) == 200
    olga = logged_in_client("olga@b.example")
    assert olga.get(reverse("programmes:list"))["Location"].startswith(
        reverse("accounts:two_factor_enrol")
    )


def test_turning_it_off_needs_the_password_again_and_is_audited(cast):
    carla = logged_in_client("carla@a.example")
    enrol(carla)
    url = reverse("accounts:two_factor_disable")
    assert carla.post(url, {"password": "not-my-password"}).status_code == 200
    assert TOTPDevice.objects.filter(user=cast.carla).exists()
    assert carla.post(url, {"password": PASSWORD}).status_code == 302
    assert not TOTPDevice.objects.filter(user=cast.carla).exists()
    assert not StaticToken.objects.filter(device__user=cast.carla).exists()
    assert AuditEvent.objects.filter(action="accounts.two_factor.disable").count() == 1
    # Logging in again asks for no code.
    assert staff_page_status(logged_in_client("carla@a.example")) == 200


def test_an_admin_resets_a_coordinator_s_lost_phone_and_her_sessions_end(cast):
    require_two_factor(cast.org_a)
    carla = logged_in_client("carla@a.example")
    enrol(carla)
    url = reverse("programmes:two_factor_reset", args=[cast.org_a.pk, cast.carla.pk])
    adam = logged_in_client("adam@a.example")
    enrol(adam)
    settings_page = adam.get(reverse("programmes:organisation_settings", args=[cast.org_a.pk]))
    assert url in settings_page.content.decode()

    assert adam.post(url).status_code == 302

    assert not TOTPDevice.objects.filter(user=cast.carla).exists()
    assert carla.get(reverse("programmes:list"))["Location"].startswith(reverse("accounts:login"))
    event = AuditEvent.objects.get(action="accounts.two_factor.reset")
    assert event.actor == cast.adam and event.organisation == cast.org_a
    assert event.target_id == str(cast.carla.pk)
    # At her next login she sets up her new phone before anything else.
    again = logged_in_client("carla@a.example")
    assert again.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_enrol"))


@pytest.mark.parametrize(
    ("who", "target"),
    [("carla", "vera"), ("olga", "carla"), ("vera", "carla"), ("adam", "adam"), ("adam", "olga")],
)
def test_only_an_admin_resets_and_only_a_non_admin_member_of_the_organisation(
    cast, client_as, who, target
):
    client = client_as(getattr(cast, who))
    url = reverse("programmes:two_factor_reset", args=[cast.org_a.pk, getattr(cast, target).pk])
    assert client.post(url).status_code == 404
    assert not AuditEvent.objects.filter(action="accounts.two_factor.reset").exists()


def test_an_admin_may_not_reset_someone_who_is_also_staff_of_another_organisation(cast, client_as):
    from binome.accounts.models import Membership

    Membership.objects.create(user=cast.carla, organisation=cast.org_b, role=Membership.Role.ADMIN)
    enrol(logged_in_client("carla@a.example"))
    url = reverse("programmes:two_factor_reset", args=[cast.org_a.pk, cast.carla.pk])
    adam = client_as(cast.adam)
    settings_page = adam.get(reverse("programmes:organisation_settings", args=[cast.org_a.pk]))
    assert url not in settings_page.content.decode()
    assert adam.post(url).status_code == 404
    assert TOTPDevice.objects.filter(user=cast.carla).exists()
    assert not AuditEvent.objects.filter(action="accounts.two_factor.reset").exists()


# GET of each new page for each role of the role matrix (none of them has a device).
ACCOUNT_PAGES = {
    # Every logged-in user has their own Security page and may turn two-step login on.
    "accounts:security": 200,
    "accounts:two_factor_enrol": 200,
    "accounts:password_change": 200,
    # Without a device: nothing to turn off, no code to give; sent back.
    "accounts:two_factor_disable": 302,
    "accounts:two_factor_verify": 302,
}


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_role_matrix_of_the_account_pages(cast, client_as, name):
    for role, user in cast.users().items():
        response = client_as(user).get(reverse(name))
        expected = 302 if user is None else ACCOUNT_PAGES[name]
        assert response.status_code == expected, (role, name)
        if user is None:
            assert response["Location"].startswith(reverse("accounts:login"))
    assert set(cast.users()) == set(ROLES)


@pytest.mark.parametrize(
    "name", ["accounts:two_factor_recovery_codes", "accounts:sessions_revoke_others"]
)
def test_the_account_actions_take_a_post_only(cast, client_as, name):
    assert client_as(cast.carla).get(reverse(name)).status_code == 405
    assert client_as(None).post(reverse(name)).status_code == 302


def test_recovery_codes_are_only_made_for_a_user_with_the_app(cast, client_as):
    response = client_as(cast.amina).post(reverse("accounts:two_factor_recovery_codes"))
    assert response.status_code == 404


def test_the_operator_s_one_time_code_lets_a_locked_out_admin_in(cast):
    import io

    from django.core.management import call_command

    enrol(logged_in_client("adam@a.example"))
    out = io.StringIO()
    call_command("addstatictoken", "Adam@a.example", stdout=out)
    client = Client()
    login(client, "adam@a.example")
    client.post(reverse("accounts:two_factor_verify"), {"code": out.getvalue().strip()})
    assert staff_page_status(client) == 200
