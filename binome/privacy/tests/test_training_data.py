from binome.privacy.services.erasure import participant_erase
from binome.privacy.subject import FULL, subject_data
from binome.training import services
from binome.training.models import Completion, ExternalTraining


def module(cast):
    return services.module_create(
        organisation=cast.org_a, actor=cast.carla, data={"title": "Listening"}
    )


def path(cast, *modules):
    return services.path_set(
        programme=cast.programme,
        role="mentor",
        modules=list(modules),
        sessions_required=0,
        actor=None,
    )


def test_the_person_s_export_and_erasure_cover_training(cast):
    first = module(cast)
    path(cast, first)
    services.module_complete(participant=cast.marek_participant, module=first)
    services.external_training_record(
        participant=cast.marek_participant, actor=cast.carla, note="Note for staff", hours=1
    )
    exported = subject_data(cast.marek_participant, scope=FULL)["training"]
    assert exported["modules"][0]["module"] == "Listening"
    assert exported["recorded"][0]["note"] == "Note for staff"
    participant_erase(participant=cast.marek_participant, actor=cast.adam)
    assert not Completion.objects.exists() and not ExternalTraining.objects.exists()
