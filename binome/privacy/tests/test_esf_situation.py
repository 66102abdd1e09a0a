"""A participant's ESF+ situation (binome.evaluation) in her data copy, and erased with her."""

import pytest

from binome.evaluation.models import EsfSituation
from binome.evaluation.services import esf_situation_record
from binome.privacy.services.erasure import participant_erase
from binome.privacy.subject import FULL, SELF, subject_data
from binome.privacy.subject_pdf import subject_pdf_bytes
from binome.testing import add_person

pytestmark = pytest.mark.django_db


def _record(cast, participant, moment="entry"):
    return esf_situation_record(
        participant=participant,
        actor=cast.carla,
        moment=moment,
        employment="long_term",
        isced="isced_3_4",
        in_education=False,
        qualification=False,
        version=0,
    )


def test_her_full_copy_holds_the_situation_and_her_own_copy_does_not(cast):
    _record(cast, cast.amina_participant)
    full = subject_data(cast.amina_participant, scope=FULL)
    assert full["esf_situations"][0]["employment"] == "long_term"
    own = subject_data(cast.amina_participant, scope=SELF)
    assert "esf_situations" not in own and "esf_situations" in own["not_included"]
    assert subject_pdf_bytes(full, "ar").startswith(b"%PDF")


def test_erasure_deletes_her_situations(cast):
    person = add_person(cast, "mentee", "Leaving")
    _record(cast, person)
    _record(cast, person, moment="exit")
    participant_erase(participant=person, actor=cast.carla)
    assert not EsfSituation.objects.filter(participant=person).exists()
