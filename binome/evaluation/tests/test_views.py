"""The evaluation page and its downloads: who gets what (a viewer never a row about a person, an
outsider nothing), and figures that match the data."""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from binome.evaluation import exports, figures
from binome.evaluation.synthetic import answered_programme
from binome.programmes.models import Edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(cast):
    edition = Edition.objects.create(
        programme=cast.programme, name="2025–2026", starts_on="2025-09-01"
    )
    answered_programme(cast.programme, people=40, items=6, edition=edition, seed=3)
    small = Edition.objects.create(
        programme=cast.programme, name="2024–2025", starts_on="2024-09-01"
    )
    answered_programme(cast.programme, people=3, items=6, edition=small, seed=4)
    return edition, small


ROLES = {
    "anonymous": (None, 302),
    "mentee": ("amina", 404),
    "mentor": ("marek", 404),
    "coordinator": ("carla", 200),
    "viewer": ("vera", 200),
    "admin": ("adam", 200),
    "outsider": ("olga", 404),
}


def _client(cast, client_as, client, who):
    return client if who is None else client_as(getattr(cast, who))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["page", "funder_pdf", "funder_xlsx", "global_pdf"])
def test_aggregate_pages_role_matrix(cast, client_as, client, answered, role, name):
    who, expected = ROLES[role]
    response = _client(cast, client_as, client, who).get(
        reverse(f"evaluation:{name}", args=[cast.programme.pk])
    )
    assert response.status_code == expected


EXPORT_ROLES = dict(ROLES, viewer=("vera", 404))


@pytest.mark.parametrize("role", EXPORT_ROLES)
@pytest.mark.parametrize("table", ["participants", "answers"])
def test_row_exports_are_for_staff_only(cast, client_as, client, answered, role, table):
    who, expected = EXPORT_ROLES[role]
    url = reverse("evaluation:export", args=[cast.programme.pk]) + f"?table={table}&format=csv"
    response = _client(cast, client_as, client, who).get(url)
    assert response.status_code == expected


def test_the_page_shows_figures_and_hides_the_small_edition(cast, client_as, answered):
    edition, small = answered
    client = client_as(cast.carla)
    page = client.get(reverse("evaluation:page", args=[cast.programme.pk]), {"edition": edition.pk})
    text = page.content.decode()
    assert "<svg" in text and "Work and rights" in text
    small_data = figures.evaluation(cast.programme, small)
    scale = small_data["questionnaires"][0]["scales"][0]
    assert scale["n_paired"] is None and scale["mean_change"] is None
    assert (
        client.get(
            reverse("evaluation:page", args=[cast.programme.pk]), {"edition": "999999"}
        ).status_code
        == 404
    )


def test_a_viewer_sees_no_person(cast, client_as, answered):
    text = (
        client_as(cast.vera)
        .get(reverse("evaluation:page", args=[cast.programme.pk]))
        .content.decode()
    )
    assert "Synthetic" not in text.replace("Synthetic integration", "")
    assert "Amina" not in text
    assert "table=answers" not in text


def test_exports_use_pseudonyms_and_sensitive_fields_for_coordinators(cast, client_as, answered):
    url = reverse("evaluation:export", args=[cast.programme.pk])
    body = b"".join(client_as(cast.carla).get(url, {"table": "participants"}).streaming_content)
    rows = list(csv.reader(io.StringIO(body.decode())))
    assert rows[0][0] == "person" and "legal_status" in rows[0]
    assert all(row[0].startswith("P-") for row in rows[1:])
    assert "Amina" not in body.decode() and "Synthetic" not in body.decode()
    xlsx = client_as(cast.carla).get(url, {"table": "answers", "format": "xlsx"})
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    header = next(book.active.iter_rows(values_only=True))
    assert header[0] == "person" and header[-1] == "scale_scores"


def test_funder_report_is_a_pdf_and_an_xlsx(cast, client_as, answered):
    edition, _small = answered
    client = client_as(cast.vera)
    pdf = client.get(
        reverse("evaluation:funder_pdf", args=[cast.programme.pk]), {"edition": edition.pk}
    )
    assert pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:funder_xlsx", args=[cast.programme.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    assert len(book.sheetnames) == 2


def test_the_commands_print_and_write_every_figure(cast, answered, tmp_path, capsys):
    edition, _small = answered
    call_command("evaluation_report", cast.programme.slug, "--edition", edition.name, "--json")
    data = json.loads(capsys.readouterr().out)
    scale = data["questionnaires"][0]["scales"][0]
    assert scale["n_paired"] >= 5 and scale["wilcoxon_p"] is not None and scale["dz"] > 0
    call_command("evaluation_export", cast.programme.slug, "--out", str(tmp_path))
    with open(tmp_path / "answers.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 40 * 7
    assert {"person", "moment", "item", "value", "scale_scores"} <= set(rows[0])


def test_attendance_counts_people_by_the_activities_they_came_to(cast, answered):
    from binome.community.models import Activity
    from binome.community.services import activity_invite, attendance_mark
    from binome.community.tests.helpers import plan
    from binome.people.models import Participant

    mentees = list(
        Participant.objects.filter(programme=cast.programme, role=Participant.Role.MENTEE)
    )
    first, second = plan(cast), plan(cast, title="Sortie")
    for activity in (first, second):
        activity_invite(activity=activity)
    # Six mentees came to both, five to the first only; a cancelled activity counts for nobody.
    for activity, came in ((first, mentees[:11]), (second, mentees[:6])):
        ids = activity.invitations.filter(participant__in=came).values_list("pk", flat=True)
        attendance_mark(actor=cast.carla, activity=activity, came=list(ids))
    cancelled = plan(cast, title="Annulée")
    activity_invite(activity=cancelled)
    attendance_mark(
        actor=cast.carla,
        activity=cancelled,
        came=list(cancelled.invitations.values_list("pk", flat=True)),
    )
    Activity.objects.filter(pk=cancelled.pk).update(cancelled_at=first.starts_at)

    data = figures.activities(figures.scope_for(cast.programme))
    assert data["bands"] == ["0", "1", "2", "3–4", "5+"]
    row = next(r for r in data["rows"] if r["role"] == "mentee")
    assert row["counts"] == [len(mentees) - 11, 5, 6, 0, 0]
    assert row["total"] == len(mentees)
    # One person fewer at the first: 4 people, under k = 5, hidden, and a second cell with it
    # so that it cannot be worked out from the total.
    attendance_mark(
        actor=cast.carla,
        activity=first,
        came=list(
            first.invitations.filter(participant__in=mentees[:10]).values_list("pk", flat=True)
        ),
    )
    row = next(
        r
        for r in figures.activities(figures.scope_for(cast.programme))["rows"]
        if r["role"] == "mentee"
    )
    assert row["counts"][1] is None
    assert sum(count is None for count in row["counts"]) >= 2


def _as_read_back(value):
    """A value of exports.rows() as openpyxl reads it from the XLSX."""
    if value == "" or value is None:
        return None
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return "'" + value
    return value


@pytest.mark.parametrize("table", exports.TABLES)
def test_each_xlsx_export_reads_back_as_its_rows(cast, client_as, answered, table):
    from binome.duos.models import CheckIn
    from binome.duos.services.meetings import meeting_log
    from binome.questionnaires.models import Answer, Item, Response
    from binome.testing import make_duo

    response = Response.objects.filter(participant__programme=cast.programme).first()
    assert response is not None
    now = response.started_at
    comment = Item.objects.create(
        version=response.version, position=90, key="comment", kind=Item.Kind.LONG_TEXT, text="?"
    )
    needs = Item.objects.create(
        version=response.version, position=91, key="needs", kind=Item.Kind.MULTIPLE, text="?"
    )
    Answer.objects.create(
        response=response, item=comment, text="=1+1 & <b>ok</b>\x07", answered_at=now
    )
    Answer.objects.create(
        response=response, item=needs, choices=["work", "housing"], answered_at=now
    )
    # Started yesterday: a meeting five minutes ago may be yesterday's, just after midnight.
    duo = make_duo(cast, started_on=timezone.localdate() - datetime.timedelta(days=1))
    meeting_log(
        duo=duo,
        actor=cast.marek,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        mode="in_person",
        place="Café",
    )
    CheckIn.objects.create(duo=duo, side="mentee", mood=4, created_at=timezone.now())
    url = reverse("evaluation:export", args=[cast.programme.pk])
    download = client_as(cast.carla).get(url, {"table": table, "format": "xlsx"})
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True)
    read = [list(row) for row in book[table].iter_rows(values_only=True)]
    expected = [
        [_as_read_back(v) for v in row]
        for row in exports.rows(figures.scope_for(cast.programme), table, sensitive=True)
    ]
    assert len(read) == len(expected) > 1
    if table == "answers":
        expected = [
            [v.replace("\x07", "\ufffd") if isinstance(v, str) else v for v in row]
            for row in expected
        ]
        assert ["comment", "long_text", "'=1+1 & <b>ok</b>\ufffd"] in [r[7:10] for r in read]
        assert ["needs", "multiple", "work;housing"] in [r[7:10] for r in read]
    assert read == expected
