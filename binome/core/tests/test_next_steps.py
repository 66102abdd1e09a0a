from binome.core import next_steps
from binome.core.next_steps import NextStep


def test_steps_from_every_provider_come_most_pressing_first(monkeypatch):
    monkeypatch.setattr(next_steps, "PARTICIPANT_PROVIDERS", [])
    next_steps.register_participant_steps(lambda user: [NextStep(next_steps.MEETING, "Meet", "/m")])
    next_steps.register_participant_steps(
        lambda user: [NextStep(next_steps.PROPOSAL, "Answer", "/p")] if user == "amina" else []
    )
    assert [step.title for step in next_steps.participant_steps("amina")] == ["Answer", "Meet"]
    assert [step.title for step in next_steps.participant_steps("marek")] == ["Meet"]


def test_a_provider_registered_twice_counts_once(monkeypatch):
    monkeypatch.setattr(next_steps, "COORDINATOR_PROVIDERS", [])

    def todos(user):
        return [NextStep(next_steps.OTHER, "Applications", "/a", count=3)]

    next_steps.register_coordinator_todos(todos)
    next_steps.register_coordinator_todos(todos)
    assert len(next_steps.coordinator_todos("carla")) == 1
