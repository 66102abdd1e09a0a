"""What a person should do next, gathered from the apps that know it.

"My space" and "My duo" (people, duos) and a coordinator's home sit below the apps that know what
is pending (a proposal in matching, a questionnaire, an activity…). Each of those apps registers a
provider from its AppConfig.ready(); the page asks every provider and shows the steps in order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The order of the cards a participant sees first (the order), lower first.
PROPOSAL, AGREEMENT, MEETING, QUESTIONNAIRE, ACTIVITY, TRAINING, OTHER = 10, 20, 30, 40, 50, 60, 90


@dataclass(frozen=True)
class NextStep:
    """One thing to do: a participant's card, or a coordinator's to-do with its count."""

    order: int
    title: str
    url: str
    action: str = ""  # the button's label
    detail: str = ""
    count: int | None = None  # a coordinator's to-do: how many are waiting
    programme_id: int | None = None  # a coordinator's to-do within one programme (its dashboard)


# A provider takes the logged-in user and returns its steps (an empty list when none).
type Provider = Callable[[Any], list[NextStep]]

PARTICIPANT_PROVIDERS: list[Provider] = []
COORDINATOR_PROVIDERS: list[Provider] = []


def register_participant_steps(provider: Provider) -> Provider:
    """Add a provider of a participant's next steps ("My space", "My duo")."""
    if provider not in PARTICIPANT_PROVIDERS:
        PARTICIPANT_PROVIDERS.append(provider)
    return provider


def register_coordinator_todos(provider: Provider) -> Provider:
    """Add a provider of a coordinator's to-dos across her programmes (her home page)."""
    if provider not in COORDINATOR_PROVIDERS:
        COORDINATOR_PROVIDERS.append(provider)
    return provider


def _gather(providers: list[Provider], user: Any) -> list[NextStep]:
    steps = [step for provider in providers for step in provider(user)]
    return sorted(steps, key=lambda step: step.order)


def participant_steps(user: Any) -> list[NextStep]:
    """Every next step of a participant, the most pressing first."""
    return _gather(PARTICIPANT_PROVIDERS, user)


def coordinator_todos(user: Any) -> list[NextStep]:
    """Every to-do of a coordinator across the programmes she runs, in the order to take them."""
    return _gather(COORDINATOR_PROVIDERS, user)
