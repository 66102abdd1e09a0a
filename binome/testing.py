"""The named cast every test uses, and what tests share: role sets, the browser's options.

Organisation A (Hors Pistes, Marseille) runs the programme "Mentorat interculturel":
Carla coordinates it, Adam administers the organisation, Vera sees figures only, Marek is a mentor
and Amina a mentee (both with accounts). Organisation B (Olga's) holds a canary string that no
response to a user of A may ever contain.

An importable module (not conftest.py), so that tests, benchmarks and fixtures import it by name;
`conftest.py` exposes it as fixtures.
"""

from dataclasses import dataclass

CANARY = "CANARY-b7f3e1-ORG-B"
# The rows of every role-matrix test, in the order of Cast.users().
ROLES = ["anonymous", "mentee", "mentor", "coordinator", "viewer", "admin", "outsider"]
PASSWORD = "correct-horse-battery"

# The status each role of ROLES gets on a GET, for the usual audiences of a page (302 is the
# anonymous visitor sent to the login page; 404 is "missing or forbidden", never told apart).
# The organisation's coordinators and admins only:
STAFF_ONLY = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "coordinator": 200,
    "viewer": 404,
    "admin": 200,
    "outsider": 404,
}
# The duo's or proposal's two sides and the organisation's staff:
PARTIES_AND_STAFF = {**STAFF_ONLY, "mentee": 200, "mentor": 200}
# The two sides alone (their own check-in, feedback):
PARTIES_ONLY = {**PARTIES_AND_STAFF, "coordinator": 404, "admin": 404}


@dataclass
class Cast:
    org_a: object
    org_b: object
    programme: object
    programme_b: object
    carla: object  # coordinator, org A
    adam: object  # organisation admin, org A
    vera: object  # viewer, org A
    marek: object  # mentor, org A (participant with an account)
    amina: object  # mentee, org A (participant with an account)
    olga: object  # coordinator, org B
    marek_participant: object
    amina_participant: object
    canary_participant: object

    def users(self) -> dict:
        """Every role of the role matrix, None for the anonymous visitor."""
        return {
            "anonymous": None,
            "mentee": self.amina,
            "mentor": self.marek,
            "coordinator": self.carla,
            "viewer": self.vera,
            "admin": self.adam,
            "outsider": self.olga,
        }


def make_cast():
    from binome.accounts.models import Membership, User
    from binome.people import services
    from binome.people.models import Participant
    from binome.programmes.models import Organisation, Programme

    org_a = Organisation.objects.create(name="Hors Pistes", slug="hors-pistes", city="Marseille")
    org_b = Organisation.objects.create(name=f"Other {CANARY}", slug="other-org", city="Lyon")
    programme = Programme.objects.create(
        organisation=org_a,
        name="Mentorat interculturel",
        slug="mentorat-interculturel",
        kind=Programme.Kind.INTERCULTURAL,
        mode=Programme.Mode.IN_PERSON,
        city="Marseille",
        languages=["fr", "ar", "en"],
        needs=["language", "social_network", "employment"],
        applications_open=True,
        listed=True,
    )
    programme_b = Programme.objects.create(
        organisation=org_b,
        name=f"Programme {CANARY}",
        slug="programme-b",
        kind=Programme.Kind.PROFESSIONAL,
        mode=Programme.Mode.HYBRID,
        description=CANARY,
        applications_open=True,
        listed=False,
    )

    def user(email, name, role=None, org=org_a):
        account = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
        if role:
            Membership.objects.create(user=account, organisation=org, role=role)
        return account

    carla = user("carla@a.example", "Carla Coordinatrice", Membership.Role.COORDINATOR)
    adam = user("adam@a.example", "Adam Admin", Membership.Role.ADMIN)
    vera = user("vera@a.example", "Vera Viewer", Membership.Role.VIEWER)
    olga = user("olga@b.example", "Olga Outsider", Membership.Role.COORDINATOR, org_b)
    marek = user("marek@a.example", "Marek Nowak")
    amina = user("amina@a.example", "Amina Haddad")
    marek_participant = services.participant_create(
        programme=programme,
        role=Participant.Role.MENTOR,
        first_name="Marek",
        last_name="Nowak",
        email="marek@a.example",
        languages={"fr": "native", "ar": "B1"},
        city="Marseille",
        sector="2221",
        user=marek,
        legal_status=Participant.LegalStatus.CITIZEN,
        status=Participant.Status.READY,
    )
    amina_participant = services.participant_create(
        programme=programme,
        role=Participant.Role.MENTEE,
        first_name="Amina",
        last_name="Haddad",
        email="amina@a.example",
        languages={"ar": "native", "fr": "A2"},
        city="Marseille",
        needs=["employment", "language"],
        user=amina,
        legal_status=Participant.LegalStatus.ASYLUM_SEEKER,
        intake_notes="Private intake note about Amina",
    )
    canary_participant = services.participant_create(
        programme=programme_b,
        role=Participant.Role.MENTEE,
        first_name=CANARY,
        last_name="Canary",
        email="canary@b.example",
        languages={"uk": "native"},
    )
    return Cast(
        org_a=org_a,
        org_b=org_b,
        programme=programme,
        programme_b=programme_b,
        carla=carla,
        adam=adam,
        vera=vera,
        marek=marek,
        amina=amina,
        olga=olga,
        marek_participant=marek_participant,
        amina_participant=amina_participant,
        canary_participant=canary_participant,
    )


def make_duo(cast, *, started_on=None):
    """Marek and Amina's duo, started today (or on started_on), coordinated by Carla."""
    from binome.duos.models import Duo
    from binome.duos.services.agreement import agreement_open
    from binome.duos.services.common import duo_start
    from binome.people.models import Participant

    Participant.objects.filter(
        pk__in=[cast.marek_participant.pk, cast.amina_participant.pk]
    ).update(status=Participant.Status.MATCHED)
    duo = Duo.objects.create(
        programme=cast.programme, mentor=cast.marek_participant, mentee=cast.amina_participant
    )
    duo_start(duo=duo, actor=cast.carla, started_on=started_on)
    agreement_open(duo=duo, actor=cast.carla)
    return duo


# Weekly slots where the cast's matchable people meet.
SLOTS = ["mon_am", "sat_pm", "wed_ev"]


def add_person(cast, role, first_name, **fields):
    """Create one more participant of the cast's programme, ready to match unless told otherwise."""
    from binome.people import services
    from binome.people.models import Participant

    defaults = {
        "languages": {"fr": "native", "ar": "B2"},
        "city": "Marseille",
        "availability": SLOTS,
        "status": Participant.Status.READY,
    }
    return services.participant_create(
        programme=cast.programme,
        role=role,
        first_name=first_name,
        last_name="Test",
        **{**defaults, **fields},
    )


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_tasks(*, limit: int = 50) -> int:
    """Run the queued tasks here, as one worker would (claim, run, record); return how many.

    In the test's own transaction: the `db_worker` loop would close the connection between
    tasks. The tests of several worker processes start the real command (binome/tests/).
    """
    from django_tasks_db.models import DBTaskResult

    from binome.jobs.worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        keep_lease=False,
    )
    done = 0
    while done < limit and (row := DBTaskResult.objects.ready().first()) is not None:
        row.claim(worker.worker_id)
        worker.run_task(row)
        done += 1
    return done


def totp_code(secret: str, *, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows for a base32 secret (RFC 6238), at time at.

    Computed here from the secret as the page shows it, independently of django-otp.
    """
    import base64
    import hashlib
    import hmac
    import struct
    import time

    secret = "".join(secret.split()).upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"
