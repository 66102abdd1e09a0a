from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "binome.people"
    label = "people"

    def ready(self) -> None:
        from binome.core import next_steps
        from binome.people.next_steps import pipeline_todos

        next_steps.register_coordinator_todos(pipeline_todos)
