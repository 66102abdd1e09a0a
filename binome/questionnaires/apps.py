from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "binome.questionnaires"
    label = "questionnaires"
    verbose_name = _("Questionnaires")

    def ready(self) -> None:
        # The apps below cannot import this one: it hands them its collector and its steps.
        from binome.core.next_steps import register_participant_steps
        from binome.notifications.dispatch import register
        from binome.questionnaires.due import participant_steps, questionnaires_due

        register(questionnaires_due)
        register_participant_steps(participant_steps)
