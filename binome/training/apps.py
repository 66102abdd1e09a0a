from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "binome.training"
    label = "training"
    verbose_name = _("Training")

    def ready(self) -> None:
        from binome.community.services import register_attendance_listener
        from binome.core.next_steps import register_participant_steps
        from binome.training.sessions import on_attendance
        from binome.training.steps import next_module

        register_participant_steps(next_module)
        register_attendance_listener(on_attendance)
