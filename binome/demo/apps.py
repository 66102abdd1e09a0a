from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data and its commands: the top floor, imported by no other app."""

    name = "binome.demo"
