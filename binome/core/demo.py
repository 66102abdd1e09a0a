"""Demo data that shows the seed programmes; loading it twice changes nothing."""

from django.db import transaction

from binome.accounts.models import Membership, User
from binome.programmes.models import Organisation, Programme

DEMO_PASSWORD = "binome-demo"  # noqa: S105 (published on purpose: demo accounts only)
DEMO_LOGINS = [
    ("admin@demo.binome.test", "organisation admin, Hors Pistes (Marseille)"),
    ("coordinator@demo.binome.test", "coordinator, Hors Pistes (Marseille)"),
]


@transaction.atomic
def load_demo() -> bool:
    """Create the demo data unless it is already there; tell whether anything was created."""
    if Organisation.objects.filter(slug="hors-pistes").exists():
        return False
    org = Organisation.objects.create(name="Hors Pistes", slug="hors-pistes", city="Marseille")
    Programme.objects.create(
        organisation=org,
        name="Mentorat interculturel",
        slug="mentorat-interculturel",
        kind=Programme.Kind.INTERCULTURAL,
        mode=Programme.Mode.IN_PERSON,
        city="Marseille",
        applications_open=True,
        listed=True,
    )
    for email, role in [
        ("admin@demo.binome.test", Membership.Role.ADMIN),
        ("coordinator@demo.binome.test", Membership.Role.COORDINATOR),
    ]:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=email)
        Membership.objects.create(user=user, organisation=org, role=role)
    return True
