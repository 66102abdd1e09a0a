from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "binome.ops"
    label = "ops"
    verbose_name = "Operations"
