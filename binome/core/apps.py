from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "binome.core"
    label = "core"
