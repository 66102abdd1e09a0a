"""What questionnaire is due, for whom: the e-mails (a notifications collector) and the steps."""

import datetime
from collections.abc import Iterator
from typing import Any

from binome.core.next_steps import NextStep
from binome.notifications.services import Message


def questionnaires_due(now: datetime.datetime) -> Iterator[Message]:
    """Every questionnaire due now to someone who has not answered it: one e-mail each."""
    yield from ()


def participant_steps(user: Any) -> list[NextStep]:
    """The questionnaires the logged-in participant has to answer now."""
    return []
