"""The ESF+ situation of a participant (employment, ISCED level) at entry, at exit and six months
after: recorded by the organisation's staff on her page, counted in the funder report under
small-number suppression, in her full data copy, gone when she is erased."""

import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from binome.evaluation import esf, funder
from binome.evaluation.figures import scope_for
from binome.evaluation.models import EsfSituation
from binome.evaluation.services import esf_situation_record
from binome.testing import add_person

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": 302,
    "mentee": 404,
    "mentor": 404,
    "viewer": 404,
    "outsider": 404,
    "coordinator": 200,
    "admin": 200,
}


def _url(cast, moment="entry", participant=None):
    participant = participant or cast.amina_participant
    with translation.override("en"):
        return reverse("evaluation:esf", args=[cast.programme.pk, participant.pk, moment])


def _record(cast, participant, moment="entry", **fields):
    values: dict[str, Any] = {
        "employment": "long_term",
        "isced": "isced_3_4",
        "in_education": False,
        "qualification": False,
    }
    return esf_situation_record(
        participant=participant,
        actor=cast.carla,
        moment=moment,
        version=0,
        **(values | fields),
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_form_answers_each_role_exactly(cast, client_as, client, role):
    user = cast.users()[role]
    response = (client_as(user) if user else client).get(_url(cast))
    assert response.status_code == ROLES[role]


@pytest.mark.parametrize("role", ["mentee", "mentor", "viewer", "outsider"])
def test_nobody_but_staff_can_record_a_situation(cast, client_as, role):
    data = {"employment": "employed", "isced": "isced_5_8", "version": "0"}
    response = client_as(cast.users()[role]).post(_url(cast), data)
    assert response.status_code == 404
    assert not EsfSituation.objects.exists()


def test_a_coordinator_records_it_and_sees_it_on_the_participant_page(cast, client_as):
    client = client_as(cast.carla)
    data = {"employment": "inactive", "in_education": "on", "isced": "isced_2", "version": "0"}
    response = client.post(_url(cast), data)
    assert response.status_code == 302
    situation = EsfSituation.objects.get(participant=cast.amina_participant)
    assert (situation.employment, situation.in_education, situation.isced) == (
        "inactive",
        True,
        "isced_2",
    )
    assert situation.recorded_by == cast.carla and situation.version == 1
    with translation.override("en"):
        url = reverse("people:detail", args=[cast.programme.pk, cast.amina_participant.pk])
    page = client.get(url)
    text = page.content.decode()
    assert "ISCED 2: lower secondary education" in text and _url(cast, "exit") in text


def test_the_participant_page_shows_no_esf_section_to_a_mentee_reading_her_own_space(
    cast, client_as
):
    _record(cast, cast.amina_participant)
    text = client_as(cast.amina).get(reverse("people:my_space")).content.decode()
    assert "Long-term unemployed" not in text


def test_an_unknown_moment_or_bad_input_saves_nothing_and_says_why(cast, client_as):
    client = client_as(cast.carla)
    assert client.get(_url(cast, "later")).status_code == 404
    response = client.post(_url(cast), {"employment": "rich", "isced": "", "version": "0"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not EsfSituation.objects.exists()


def test_two_coordinators_saving_the_same_moment_the_second_gets_a_conflict(cast, client_as):
    _record(cast, cast.amina_participant)
    client = client_as(cast.adam)
    # Adam's form was opened before Carla's save: it still carries version 0.
    data = {"employment": "employed", "isced": "isced_5_8", "version": "0"}
    response = client.post(_url(cast), data)
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    situation = EsfSituation.objects.get()
    assert situation.employment == "long_term"
    # Saving again, knowingly, replaces it.
    response = client.post(_url(cast), data | {"version": "1"})
    assert response.status_code == 302
    assert EsfSituation.objects.get().employment == "employed"


def _mentees(cast, n):
    """n more mentees, then every mentee of the programme (the cast's first)."""
    for i in range(n):
        add_person(cast, "mentee", f"Esf{i}")
    return list(cast.programme.participants.filter(role="mentee").order_by("pk"))


def test_the_funder_report_counts_entry_situations_and_hides_small_groups(cast):
    people = _mentees(cast, 12)
    for person in people[:6]:
        _record(cast, person, employment="long_term", isced="isced_3_4")
    for person in people[6:8]:
        _record(cast, person, employment="employed", isced="isced_5_8")
    with translation.override("en"):
        employment, isced = esf.entry_tables(scope_for(cast.programme))
    # The others (at least 5) have no record.
    labels = dict(zip(employment["labels"], employment["counts"], strict=True))
    assert labels["Long-term unemployed (more than 12 months)"] == 6
    assert labels["Employed, including self-employed"] is None  # 2 people: hidden
    assert labels["Unknown or not recorded"] is None  # else the 2 come back by subtraction
    assert employment["total"] == len(people)
    isced_cells = dict(zip(isced["labels"], isced["counts"], strict=True))
    assert isced_cells["ISCED 3–4"] == 6 and isced_cells["ISCED 5–8"] is None
    # No hidden cell comes back by subtraction: a second one hides with it.
    assert sum(v is None for v in employment["counts"]) >= 2


def test_the_results_at_exit_count_each_indicator_among_people_with_a_record(cast):
    people = _mentees(cast, 10)[-10:]
    for i, person in enumerate(people):
        _record(
            cast,
            person,
            moment="exit",
            employment="employed" if i < 5 else "unemployed",
            in_education=i >= 5,
            qualification=i < 9,
        )
    table = esf.result_table(scope_for(cast.programme), "exit")
    assert table["total"] == 10
    # 9 gained a qualification, 1 did not: the 1 is hidden, and the 9 with it.
    assert table["counts"][2] is None and 5 in table["counts"]


def test_the_funder_xlsx_and_pdf_carry_the_esf_rows(cast, client_as):
    people = _mentees(cast, 6)
    for person in people:
        _record(cast, person)
    client = client_as(cast.vera)
    with translation.override("en"):
        xlsx = client.get(reverse("evaluation:funder_xlsx", args=[cast.programme.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    cells = {r[0]: r[1] if len(r) > 1 else None for r in rows if r and r[0]}
    assert cells["Long-term unemployed (more than 12 months)"] == len(people)
    assert cells["ISCED 3–4"] == len(people)
    n = len(people)
    assert any(f"recorded for {n} of {n} mentees" in str(r[0]) for r in rows if r)
    with translation.override("en"):
        data = funder.report(cast.programme, None)
    titles = [t["title"] for t in data["indicators"]]
    assert "At entry: employment situation (ESF+)" in titles
    pdf = client.get(reverse("evaluation:funder_pdf", args=[cast.programme.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_the_audit_trail_names_the_moment_never_the_codes(cast):
    from binome.core.models import AuditEvent

    _record(cast, cast.amina_participant)
    event = AuditEvent.objects.get(action="esf_situation.record")
    assert "long_term" not in str(event.detail) and "entry" in str(event.detail)
