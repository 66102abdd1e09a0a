from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "binome.evaluation"
    verbose_name = "Evaluation"
