from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuosConfig(AppConfig):
    name = "binome.duos"
    label = "duos"
    verbose_name = _("Duos")

    def ready(self) -> None:
        from binome.core import next_steps
        from binome.duos.next_steps import duo_steps, duo_todos

        next_steps.register_participant_steps(duo_steps)
        next_steps.register_coordinator_todos(duo_todos)
