from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "binome.jobs"
    label = "jobs"
