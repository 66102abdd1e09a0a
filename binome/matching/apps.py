from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "binome.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from binome.core import next_steps
        from binome.matching.next_steps import proposal_steps, stale_proposal_todos

        next_steps.register_participant_steps(proposal_steps)
        next_steps.register_coordinator_todos(stale_proposal_todos)
