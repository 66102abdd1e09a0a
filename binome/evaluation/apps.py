from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "binome.evaluation"
    verbose_name = "Evaluation"

    def ready(self) -> None:
        from binome.core import panels
        from binome.evaluation.panels import participant_esf

        panels.register_panel(panels.PARTICIPANT_DETAIL, participant_esf)
