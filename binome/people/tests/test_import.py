import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, FakePayload, encode_multipart
from django.utils import translation

from binome.core.models import AuditEvent
from binome.people.importing import columns, reading, records, storage, values
from binome.people.models import Consent, Participant, StatusChange
from binome.testing import CANARY, STAFF_ONLY

pytestmark = pytest.mark.django_db

HEADER = "Prénom;Nom;E-mail;Téléphone;Rôle;Langues;Ville;Année de naissance;Secteur;Besoins"
GOOD = [
    "Yusuf;Rahimi;yusuf@example.org;+33 6 12 34 56 78;mentoré·e;prs:native; fr:A2;Marseille;1991;;"
    "employment",
    "Olena;Kovalenko;olena@example.org;;mentee;uk:native, en:B1;Lyon;1985;22;language",
    "Jeanne;Martin;jeanne@example.org;+33 6 45 67 89 01;mentor·e;fr:native;Marseille;1970;23;",
]


def csv_bytes(lines, *, bom=False, sep=";") -> bytes:
    text = "\n".join(line.replace(";", sep) for line in lines) + "\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def good_csv(**kwargs) -> bytes:
    rows = [HEADER]
    rows.append(
        'Yusuf;Rahimi;yusuf@example.org;+33 6 12 34 56 78;mentoré·e;"prs:native; fr:A2";'
        "Marseille;1991;;employment"
    )
    rows += GOOD[1:]
    return csv_bytes(rows, **kwargs)


def xlsx_bytes(rows, *, string_cells=()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for coordinate in string_cells:
        sheet[coordinate].data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def url(programme, step="upload", lang="en"):
    paths = {"upload": "", "preview": "check/", "confirm": "confirm/", "result": "done/"}
    return f"/{lang}/programmes/{programme.pk}/import/{paths[step]}"


def upload(client, programme, data: bytes, name="people.csv", lang="en"):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(url(programme, lang=lang), {"file": file})


def mapping_data(headers, **choices):
    data = dict(zip(
        [f"col_{i}" for i in range(len(headers))], columns.guess_mapping(headers), strict=True
    ))  # fmt: skip
    data.update(choices)
    return data


def confirm(client, programme, headers, lang="en", **options):
    data = mapping_data(headers)
    data.update({"scope": "all", "duplicates": "skip"}, **options)
    return client.post(url(programme, "confirm", lang), data)


def imported(programme):
    return Participant.objects.filter(programme=programme).exclude(
        first_name__in=["Marek", "Amina"]
    )


HEADERS = HEADER.split(";")


# ---------------------------------------------------------------- access


def test_every_import_view_answers_each_role_with_the_right_status(cast, client_as):
    expected = STAFF_ONLY
    for role, user in cast.users().items():
        client = client_as(user)
        response = client.get(url(cast.programme))
        assert response.status_code == expected[role], role
        if role == "anonymous":
            assert response["Location"].startswith("/en/accounts/login/")
        response = upload(client, cast.programme, good_csv())
        assert response.status_code == {200: 302}.get(expected[role], expected[role]), role
        for step in ("preview", "result"):
            response = client.get(url(cast.programme, step))
            assert response.status_code == expected[role], (role, step)
        response = confirm(client, cast.programme, HEADERS)
        assert response.status_code == {200: 302}.get(expected[role], expected[role]), role
        if expected[role] == 200:
            assert response["Location"] == url(cast.programme, "result")
            body = client.get(url(cast.programme, "result")).content.decode()
            assert CANARY not in body


def test_an_org_a_coordinator_cannot_import_into_org_b(cast, client_as):
    client = client_as(cast.carla)
    assert client.get(url(cast.programme_b)).status_code == 404
    assert upload(client, cast.programme_b, good_csv()).status_code == 404
    assert confirm(client, cast.programme_b, HEADERS).status_code == 404
    assert not imported(cast.programme_b).exclude(first_name=CANARY).exists()


def test_the_canary_never_appears_in_any_import_page_of_org_a(cast, client_as):
    client = client_as(cast.carla)
    bodies = [client.get(url(cast.programme)).content]
    upload(client, cast.programme, good_csv())
    bodies.append(client.get(url(cast.programme, "preview")).content)
    confirm(client, cast.programme, HEADERS)
    bodies.append(client.get(url(cast.programme, "result")).content)
    assert all(CANARY.encode() not in body for body in bodies)


# ---------------------------------------------------------------- the happy path


def test_a_valid_csv_is_previewed_with_its_guessed_columns_then_imported(cast, client_as):
    client = client_as(cast.carla)
    response = upload(client, cast.programme, good_csv(bom=True))
    assert response.status_code == 302
    page = client.get(url(cast.programme, "preview"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Olena" in body  # preview of the first rows
    assert 'value="languages" selected' in body
    assert page.context["error_count"] == 0

    response = confirm(client, cast.programme, HEADERS, consent_collected="on")
    assert response.status_code == 302
    yusuf = Participant.objects.get(email="yusuf@example.org")
    assert yusuf.role == Participant.Role.MENTEE
    assert yusuf.languages == {"prs": "native", "fr": "A2"}
    assert yusuf.phone == "+33612345678"
    assert yusuf.status == Participant.Status.APPLIED
    assert yusuf.latitude == pytest.approx(43.3, abs=0.1)
    assert yusuf.needs == ["employment"]
    jeanne = Participant.objects.get(email="jeanne@example.org")
    assert jeanne.role == Participant.Role.MENTOR
    assert jeanne.capacity == cast.programme.default_mentor_capacity
    assert imported(cast.programme).count() == 3
    changes = StatusChange.objects.filter(participant__in=imported(cast.programme))
    assert {change.note for change in changes} == {"import"}
    assert Consent.objects.filter(method=Consent.Method.IMPORT).count() == 3
    event = AuditEvent.objects.get(action="participant.import")
    assert event.detail["count"] == 3
    assert event.target_id == str(cast.programme.pk)
    result = client.get(url(cast.programme, "result"))
    assert result.context["result"]["created"] == 3
    assert f"/en/programmes/{cast.programme.pk}/participants/" in result.content.decode()


def test_the_stored_file_is_private_and_deleted_after_the_import(cast, client_as, private_media):
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())
    stored = list((private_media / "imports").iterdir())
    assert len(stored) == 1
    assert "static" not in str(stored[0])
    token = client.session[f"import_file_{cast.programme.pk}"]["token"]
    assert stored[0].name.startswith(token)
    confirm(client, cast.programme, HEADERS)
    assert list((private_media / "imports").iterdir()) == []


def test_no_consent_is_recorded_without_the_checkbox_or_a_consent_column(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())
    confirm(client, cast.programme, HEADERS)
    assert imported(cast.programme).count() == 3
    assert not Consent.objects.filter(method=Consent.Method.IMPORT).exists()


def test_a_consent_column_records_consent_for_the_yes_lines_only(cast, client_as):
    client = client_as(cast.carla)
    data = csv_bytes(
        ["Prénom,Nom,Rôle,Consentement", "A,One,mentee,oui", "B,Two,mentee,non"], sep=","
    )
    upload(client, cast.programme, data)
    confirm(
        client, cast.programme, ["Prénom", "Nom", "Rôle", "Consentement"], consent_collected="on"
    )
    consents = Consent.objects.filter(method=Consent.Method.IMPORT)
    assert list(consents.values_list("participant__last_name", flat=True)) == ["One"]


def test_an_xlsx_file_is_read_with_english_headers(cast, client_as):
    client = client_as(cast.carla)
    data = xlsx_bytes(
        [
            ["First name", "Last name", "Email", "Role", "Languages", "Birth year", "City"],
            ["Hamid", "Karimi", "hamid@example.org", "mentee", "ps:native; en:A1", 1999, "Lyon"],
            [None, None, None, None, None, None, None],
            ["Sara", "Haile", "sara@example.org", "mentor", "ti:native, fr:C1", 1980.0, ""],
        ]
    )
    assert upload(client, cast.programme, data, name="people.xlsx").status_code == 302
    page = client.get(url(cast.programme, "preview"))
    assert page.context["error_count"] == 0
    headers = ["First name", "Last name", "Email", "Role", "Languages", "Birth year", "City"]
    assert confirm(client, cast.programme, headers).status_code == 302
    sara = Participant.objects.get(email="sara@example.org")
    assert sara.birth_year == 1980
    assert sara.languages == {"ti": "native", "fr": "C1"}


def test_a_tab_separated_file_is_read(cast, client_as):
    client = client_as(cast.carla)
    data = csv_bytes(["Prénom;Nom;Rôle", "Ali;Said;mentee"], sep="\t")
    upload(client, cast.programme, data)
    assert client.get(url(cast.programme, "preview")).context["error_count"] == 0


# ---------------------------------------------------------------- refusals


def refusal(client, programme, data, name="people.csv"):
    response = upload(client, programme, data, name=name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert not imported(programme).exists()
    return " ".join(errors)


def test_a_file_of_another_type_is_refused(cast, client_as):
    client = client_as(cast.carla)
    with translation.override("en"):
        assert "Only CSV and XLSX" in refusal(client, cast.programme, b"%PDF-1.4", "cv.pdf")


def test_an_xlsx_name_on_something_that_is_not_a_workbook_is_refused(cast, client_as):
    client = client_as(cast.carla)
    message = refusal(client, cast.programme, b"Prenom;Nom\nA;B\n", "people.xlsx")
    assert "not a valid XLSX" in message
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    assert "not a valid XLSX" in refusal(client, cast.programme, buffer.getvalue(), "a.xlsx")


def test_a_workbook_renamed_to_csv_is_refused(cast, client_as):
    client = client_as(cast.carla)
    data = xlsx_bytes([["Prénom", "Nom"], ["A", "B"]])
    assert "not a CSV" in refusal(client, cast.programme, data, "people.csv")


def test_a_file_too_big_is_refused(cast, client_as, settings):
    settings.IMPORT_MAX_BYTES = 200
    client = client_as(cast.carla)
    assert "too big" in refusal(client, cast.programme, good_csv() + b"x" * 300)


def test_a_file_with_too_many_rows_is_refused(cast, client_as, settings):
    settings.IMPORT_MAX_ROWS = 2
    client = client_as(cast.carla)
    assert "too many rows" in refusal(client, cast.programme, good_csv())


def test_a_file_not_in_utf8_is_refused_with_the_way_to_fix_it(cast, client_as):
    client = client_as(cast.carla)
    data = "Prénom;Nom;Rôle\nHélène;Müller;mentor\n".encode("cp1252")
    assert "CSV UTF-8" in refusal(client, cast.programme, data)


def test_an_empty_file_or_a_header_alone_is_refused(cast, client_as):
    client = client_as(cast.carla)
    assert "empty" in refusal(client, cast.programme, b"")
    assert "empty" in refusal(client, cast.programme, b"\n\n ;;\n")
    assert "no participant" in refusal(client, cast.programme, b"Prenom;Nom\n")


@pytest.mark.parametrize(
    "cell", ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-cmd", "@SUM(A1)", "\tx", "\rx"]
)
def test_a_cell_that_starts_like_a_formula_is_refused_with_its_line_and_column(
    cast, client_as, cell
):
    client = client_as(cast.carla)
    quoted = '"' + cell.replace('"', '""') + '"'
    data = csv_bytes(["Prénom;Nom;Rôle", "Ali;Said;mentee", f"Bob;{quoted};mentor"])
    message = refusal(client, cast.programme, data)
    assert "Line 3" in message
    assert "“Nom”" in message


def test_a_formula_typed_as_text_in_an_xlsx_is_refused(cast, client_as):
    client = client_as(cast.carla)
    data = xlsx_bytes([["Prénom", "Nom"], ["=1+1", "B"]], string_cells=["A2"])
    message = refusal(client, cast.programme, data, "people.xlsx")
    assert "Line 2" in message and "Prénom" in message


def test_phone_numbers_and_negative_numbers_are_not_taken_for_formulas():
    assert not reading._formula_risk("+33 6 12 34 56 78")
    assert not reading._formula_risk("-5")
    assert not reading._formula_risk("-")
    assert reading._formula_risk("=1")


def test_a_refused_upload_keeps_the_coordinator_on_the_form_without_a_stack_trace(cast, client_as):
    client = client_as(cast.carla)
    response = upload(client, cast.programme, b"\xff\xfe\x00garbage", "x.csv")
    assert response.status_code == 200
    assert b"Traceback" not in response.content
    assert f"import_file_{cast.programme.pk}" not in client.session


def test_the_check_page_without_a_file_sends_back_to_the_upload(cast, client_as):
    client = client_as(cast.carla)
    response = client.get(url(cast.programme, "preview"))
    assert response.status_code == 302
    assert response["Location"] == url(cast.programme)


# ---------------------------------------------------------------- errors by line and column

BAD = [
    "Prénom;Nom;E-mail;Téléphone;Rôle;Langues;Année de naissance",
    "Ali;Said;ali@example.org;;mentee;ar:native;1990",  # line 2: fine
    "Bea;Kim;not-an-email;;mentee;ko:B1;1990",  # line 3: e-mail
    "",  # line 4: blank line, skipped but counted
    "Chen;Li;chen@example.org;12;mentor;zh:native;1990",  # line 5: phone
    "Dina;Omar;dina@example.org;;pilot;klingonish:B1;199",  # line 6: role, language, year
    ";;eve@example.org;;mentee;fr:A1;1990",  # line 7: no name
]


def error_triples(response):
    return {(e.line, e.column) for e in response.context["errors"]}


def test_errors_are_listed_with_the_spreadsheet_line_and_the_column_name(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, csv_bytes(BAD))
    with translation.override("en"):
        page = client.get(url(cast.programme, "preview"))
    assert error_triples(page) == {
        (3, "E-mail"),
        (5, "Téléphone"),
        (6, "Rôle"),
        (6, "Langues"),
        (6, "Année de naissance"),
        (7, "Nom"),
    }
    messages = {(e.line, e.column): e.message for e in page.context["errors"]}
    assert messages[(3, "E-mail")] == "“not-an-email” is not a valid e-mail address."
    assert "klingonish" in messages[(6, "Langues")]
    assert page.context["valid_count"] == 1


def test_the_errors_are_shown_in_french_to_a_french_coordinator(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, csv_bytes(BAD), lang="fr")
    page = client.get(url(cast.programme, "preview", lang="fr"))
    assert page.status_code == 200
    assert page.context["LANGUAGE_CODE"] == "fr"
    assert '<html lang="fr"' in page.content.decode()
    assert (6, "Rôle") in error_triples(page)


def test_nothing_is_written_when_the_file_has_errors(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, csv_bytes(BAD))
    response = confirm(client, cast.programme, BAD[0].split(";"))
    assert response.status_code == 400
    assert response.context["choices"].errors["scope"]
    assert not imported(cast.programme).exists()
    assert not AuditEvent.objects.filter(action="participant.import").exists()


def test_only_the_valid_rows_are_written_on_explicit_choice(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, csv_bytes(BAD))
    response = confirm(client, cast.programme, BAD[0].split(";"), scope="valid")
    assert response.status_code == 302
    assert list(imported(cast.programme).values_list("first_name", flat=True)) == ["Ali"]
    result = client.get(url(cast.programme, "result")).context["result"]
    assert result == {"created": 1, "invalid": 4, "duplicates_skipped": 0, "total": 5}


def test_a_mapping_without_names_or_roles_is_refused_before_checking(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())
    data = mapping_data(HEADERS, col_0="", col_1="", col_4="")
    with translation.override("en"):
        page = client.post(url(cast.programme, "preview"), data)
    assert page.status_code == 200
    assert page.context["report"] is None
    errors = " ".join(page.context["form"].non_field_errors())
    assert "first name or the last name" in errors and "role" in errors


def test_the_coordinator_can_ignore_a_column_and_give_a_role_to_everybody(cast, client_as):
    client = client_as(cast.carla)
    data = csv_bytes(["Prénom;Nom;Commentaire", "Ali;Said;whatever"])
    upload(client, cast.programme, data)
    headers = ["Prénom", "Nom", "Commentaire"]
    page = client.get(url(cast.programme, "preview"))
    assert page.context["report"] is None  # no role column, no default yet
    page = client.post(url(cast.programme, "preview"), mapping_data(headers, default_role="mentor"))
    assert page.context["error_count"] == 0
    response = confirm(client, cast.programme, headers, default_role="mentor")
    assert response.status_code == 302
    assert imported(cast.programme).get().role == Participant.Role.MENTOR


def test_the_same_field_chosen_twice_is_refused(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())
    page = client.post(url(cast.programme, "preview"), mapping_data(HEADERS, col_2="phone"))
    assert page.context["report"] is None
    assert page.context["form"].non_field_errors()


# ---------------------------------------------------------------- duplicates

DUPS = [
    "Prénom;Nom;E-mail;Téléphone;Rôle;Année de naissance",
    "Amina;Other;AMINA@A.example;;mentee;",  # line 2: e-mail of the existing Amina
    "Nadia;Ben;nadia@example.org;06 12 34 56 78;mentee;1990",  # line 3
    "Nora;Ben;nora@example.org;+33612345678;mentee;1991",  # line 4: phone of line 3
    "Élodie;Durand;elodie@example.org;;mentor;1975",  # line 5
    "elodie;DURAND;other@example.org;;mentor;1975",  # line 6: name + year of line 5
    "Elodie;Durand;third@example.org;;mentor;1976",  # line 7: other year, not a duplicate
]


def test_likely_duplicates_are_flagged_in_the_file_and_against_the_programme(cast, client_as):
    client = client_as(cast.carla)
    upload(client, cast.programme, csv_bytes(DUPS))
    with translation.override("en"):
        page = client.get(url(cast.programme, "preview"))
    found = {(d.line, d.reason, d.other) for d in page.context["duplicates"]}
    assert found == {
        (2, "same e-mail", "Amina Haddad"),
        (4, "same phone", "line 3"),
        (6, "same name and birth year", "line 5"),
    }
    assert page.context["error_count"] == 0


def test_duplicates_are_skipped_by_default_and_imported_on_request(cast, client_as):
    client = client_as(cast.carla)
    headers = DUPS[0].split(";")
    upload(client, cast.programme, csv_bytes(DUPS))
    confirm(client, cast.programme, headers)
    assert imported(cast.programme).count() == 3
    assert client.get(url(cast.programme, "result")).context["result"]["duplicates_skipped"] == 3

    upload(client, cast.programme, csv_bytes(DUPS[:1] + DUPS[4:6]))
    confirm(client, cast.programme, headers, duplicates="import")
    # Both lines duplicate Élodie Durand 1975, now in the programme: imported on request.
    assert imported(cast.programme).filter(last_name__iexact="durand").count() == 4


# ---------------------------------------------------------------- parsing details


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ar:native; fr:A2", {"ar": "native", "fr": "A2"}),
        ("arabe (natif), français A2", {"ar": "native", "fr": "A2"}),
        ("Arabic native, English b2", {"ar": "native", "en": "B2"}),
        ("prs:C1; ps:B1", {"prs": "C1", "ps": "B1"}),
        ("Ukrainien - langue maternelle", {"uk": "native"}),
    ],
)
def test_languages_are_read_in_the_usual_spreadsheet_forms(text, expected):
    assert values.parse_languages(text) == expected


@pytest.mark.parametrize(
    ("text", "role"),
    [("mentor·e", "mentor"), ("Mentoré·e", "mentee"), ("mentoré", "mentee"), ("Parrain", "mentor"),
     ("filleule", "mentee"), ("Mentee", "mentee")],
)  # fmt: skip
def test_roles_are_understood_in_french_and_english(text, role):
    assert values.PARSERS["role"](text) == role


def test_countries_sectors_needs_and_slots_accept_codes_and_names():
    assert values.parse_country("Syrie") == "SY"
    assert values.parse_country("AF") == "AF"
    assert values.parse_country("Eritrea") == "ER"
    assert values.parse_sector("2221") == "2221"
    assert values.parse_sector("Health professionals") == "22"
    assert values.PARSERS["needs"]("employment; Housing") == ["employment", "housing"]
    assert values.parse_availability("tue_pm mon_am") == ["mon_am", "tue_pm"]
    assert values.PARSERS["legal_status"]("Demandeur d'asile") == "asylum_seeker"


def test_the_mapping_is_guessed_from_french_and_english_header_names():
    headers = ["Prénom", "Last name", "Courriel", "Tél", "Rôle", "Langues", "Ville",
               "Année de naissance", "Genre", "Secteur", "Needs", "Disponibilités", "Mode",
               "Statut", "Pays d'origine", "Statut légal", "Notes"]  # fmt: skip
    assert columns.guess_mapping(headers) == [
        "first_name", "last_name", "email", "phone", "role", "languages", "city", "birth_year",
        "gender", "sector", "needs", "availability", "mode_preference", "status",
        "country_of_origin", "legal_status", "",
    ]  # fmt: skip


def test_a_stored_file_token_cannot_point_outside_the_import_folder():
    assert storage.stored_path({"token": "../../etc/passwd", "extension": ".csv"}) is None
    assert storage.stored_path({"token": "a" * 32, "extension": ".py"}) is None
    assert storage.stored_path(None) is None


def test_line_numbers_count_the_blank_lines_the_spreadsheet_shows():
    table = reading.read_table(csv_bytes(["A;B", "", "x;y", "", "z;w"]), "f.csv")
    assert [line for line, _cells in table.rows] == [3, 5]
    assert re.match(r"^[A-Z]$", records.column_letter(0))


# ---------------------------------------------------------------- hostile files

MB = 1024 * 1024


def rezip(data: bytes, replace: dict, *, add_shared_strings=False) -> bytes:
    """Copy a workbook, replacing parts; a part given as a function writes itself in chunks."""
    import zipfile

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for name in source.namelist():
            part = source.read(name)
            if name == "[Content_Types].xml" and add_shared_strings:
                part = part.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                    b"</Types>",
                )
            if name not in replace:
                target.writestr(name, part)
        for name, content in replace.items():
            with target.open(name, "w", force_zip64=True) as stream:
                if callable(content):
                    content(stream)
                else:
                    stream.write(content)
    return buffer.getvalue()


SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Nom</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>R\xc3\xb4le</t></is></c></row>'
)
SHEET_END = b"</sheetData></worksheet>"


def test_an_xlsx_written_like_excel_is_read_with_its_shared_strings_dates_and_rich_text(
    cast, client_as
):
    # Excel keeps texts in a shared table, writes runs of rich text and dates as numbers.
    strings = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        "<si><t>Prénom</t></si><si><t>Nom</t></si><si><t>Rôle</t></si><si><t>Consentement</t></si>"
        "<si><r><rPr><b/></rPr><t>Ha</t></r><r><t>mid</t></r><rPh sb='0' eb='1'><t>x</t></rPh></si>"
        '<si><t xml:space="preserve"> Karimi </t></si><si><t>mentee</t></si></sst>'
    ).encode()
    sheet = (
        SHEET_START.split(b"<row")[0]
        + b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        b'<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>'
        b'<c r="E1" t="inlineStr"><is><t>Naissance</t></is></c></row>'
        b'<row r="3"><c r="A3" t="s"><v>4</v></c><c r="B3" t="s"><v>5</v></c>'
        b'<c r="C3" t="s"><v>6</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"><v>1999</v></c></row>'
        + SHEET_END
    )
    data = rezip(
        xlsx_bytes([["x"]]),
        {"xl/worksheets/sheet1.xml": sheet, "xl/sharedStrings.xml": strings},
        add_shared_strings=True,
    )
    client = client_as(cast.carla)
    assert upload(client, cast.programme, data, name="people.xlsx").status_code == 302
    page = client.get(url(cast.programme, "preview"))
    assert page.context["headers"] == ["Prénom", "Nom", "Rôle", "Consentement", "Naissance"]
    assert page.context["sample"] == [(3, ["Hamid", "Karimi", "mentee", "yes", "1999"])]


def test_xlsx_dates_and_numbers_are_read_as_openpyxl_reads_them():
    import datetime

    data = xlsx_bytes(
        [
            ["Prénom", "Rôle", "Arrivée", "Capacité", "Actif"],
            ["Ali", "mentor", datetime.date(2023, 5, 17), 2.0, False],
            ["Bea", "mentor", datetime.datetime(2024, 1, 2, 9, 30), 1.5, True],
        ]
    )
    table = reading.read_table(data, "people.xlsx")
    assert table.rows == [
        (2, ["Ali", "mentor", "2023-05-17", "2", "no"]),
        (3, ["Bea", "mentor", "2024-01-02", "1.5", "yes"]),
    ]


def test_an_xlsx_that_unpacks_to_more_than_50_mb_is_refused_before_it_is_opened(cast, client_as):
    def shared_strings(part):
        part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
        chunk = b"<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>" * 20_000
        for _ in range(60 * MB // len(chunk)):
            part.write(chunk)
        part.write(b"</sst>")

    data = rezip(
        xlsx_bytes([["Nom", "Rôle"], ["Said", "mentee"]]),
        {"xl/sharedStrings.xml": shared_strings},
        add_shared_strings=True,
    )
    assert len(data) < MB
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, data, "people.xlsx")
    assert "more than 50 MB" in message


def test_an_xlsx_part_packed_more_than_a_hundred_times_is_refused(cast, client_as):
    padding = b"<!--" + b" " * (5 * MB) + b"-->"
    sheet = SHEET_START + padding + b'<row r="2"><c r="A2"><v>1</v></c></row>' + SHEET_END
    data = rezip(xlsx_bytes([["Nom", "Rôle"]]), {"xl/worksheets/sheet1.xml": sheet})
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, data, "people.xlsx")
    assert "more than 100 times its size" in message


def test_an_xlsx_row_of_100000_columns_is_refused_at_the_column_limit(cast, client_as):
    # Varied values: the same cell repeated would be refused for its packing ratio first.
    row = b'<row r="2">' + b"".join(b"<c><v>%d</v></c>" % i for i in range(100_000)) + b"</row>"
    data = rezip(
        xlsx_bytes([["Nom", "Rôle"]]),
        {"xl/worksheets/sheet1.xml": SHEET_START + row + SHEET_END},
    )
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, data, "people.xlsx")
    assert "Line 2 has too many columns: at most 200 can be imported" in message


def test_an_xlsx_row_of_empty_cells_is_refused_at_the_cell_limit(cast, client_as, monkeypatch):
    monkeypatch.setattr(reading, "MAX_CELLS", 10_000)
    cells = b"".join(b'<c s="%d"/>' % i for i in range(10_001))
    row = b'<row r="2"><c r="A2"><v>1</v></c>' + cells + b"</row>"
    data = rezip(
        xlsx_bytes([["Nom", "Rôle"]]),
        {"xl/worksheets/sheet1.xml": SHEET_START + row + SHEET_END},
    )
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, data, "people.xlsx")
    assert "too many cells: at most 10000" in message


def test_an_xlsx_whose_last_line_is_far_down_is_refused_at_the_cell_limit(cast, client_as):
    row = b'<row r="1048576"><c r="B1048576"><v>1</v></c></row>'
    data = rezip(
        xlsx_bytes([["Nom", "Rôle"]]),
        {"xl/worksheets/sheet1.xml": SHEET_START + row + SHEET_END},
    )
    client = client_as(cast.carla)
    with translation.override("en"):
        assert "too many cells" in refusal(client, cast.programme, data, "people.xlsx")


def test_an_xlsx_declaring_entities_is_refused(cast, client_as):
    sheet = SHEET_START.replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">]><worksheet', 1
    )
    data = rezip(
        xlsx_bytes([["Nom", "Rôle"]]),
        {"xl/worksheets/sheet1.xml": sheet + SHEET_END},
    )
    client = client_as(cast.carla)
    with translation.override("en"):
        assert "not a valid XLSX" in refusal(client, cast.programme, data, "people.xlsx")


def test_a_csv_of_10000_columns_is_refused_at_the_column_limit(cast, client_as):
    data = csv_bytes([";".join(f"c{i}" for i in range(10_000)), ";".join(["x"] * 10_000)])
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, data)
    assert "Line 1 has too many columns: at most 200 can be imported" in message


def test_a_csv_row_just_over_the_column_limit_is_refused_with_its_line(cast, client_as):
    data = csv_bytes(["Prénom;Nom;Rôle", "Ali;Said;mentee", ";".join(["x"] * 201)])
    client = client_as(cast.carla)
    with translation.override("en"):
        assert "Line 3 has too many columns" in refusal(client, cast.programme, data)


def test_delimiters_inside_quotes_and_empty_trailing_columns_do_not_count_as_columns(
    cast, client_as
):
    interests = '"' + "; ".join(f"sport {i}" for i in range(300)) + '"'
    data = csv_bytes(["Prénom;Nom;Rôle;Intérêts" + ";" * 250, f"Ali;Said;mentee;{interests}"])
    client = client_as(cast.carla)
    assert upload(client, cast.programme, data).status_code == 302
    page = client.get(url(cast.programme, "preview"))
    assert page.context["headers"] == ["Prénom", "Nom", "Rôle", "Intérêts"]
    assert page.context["error_count"] == 0


def test_a_csv_of_more_than_a_million_cells_is_refused(cast, client_as):
    lines = [";".join(["x"] * 199)] * 5100
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, csv_bytes(lines))
    assert "too many cells: at most 1000000" in message


def test_reading_past_the_time_limit_is_stopped_with_a_clear_message(cast, client_as, monkeypatch):
    monkeypatch.setattr(reading, "READ_SECONDS", 0)
    client = client_as(cast.carla)
    with translation.override("en"):
        message = refusal(client, cast.programme, good_csv())
    assert "stopped after 0 seconds" in message


def test_quotes_that_slowed_the_delimiter_guess_are_read(cast, client_as):
    # csv.Sniffer took 11 s on these 20 kB; it now only looks at the first lines.
    data = csv_bytes(["Prénom;Nom;Rôle", "Ali;Said;mentee"]) + b'"\n' * 10_000
    client = client_as(cast.carla)
    assert upload(client, cast.programme, data).status_code == 302
    assert client.get(url(cast.programme, "preview")).context["row_count"] == 1


@pytest.mark.parametrize(
    "cell",
    [' =HYPERLINK("http://x")', "  +cmd", "\n=1+1", " \t@SUM(A1)", "\u00a0-cmd", "\x01=1+1"],
)
def test_a_formula_after_leading_blanks_or_control_characters_is_refused(cast, client_as, cell):
    client = client_as(cast.carla)
    quoted = '"' + cell.replace('"', '""') + '"'
    data = csv_bytes(["Prénom;Nom;Rôle", f"Bob;{quoted};mentor"])
    with translation.override("en"):
        message = refusal(client, cast.programme, data)
    assert "Line 2" in message and "“Nom”" in message
    assert "which spreadsheets run as a formula" in message


def test_a_formula_after_a_space_in_an_xlsx_is_refused(cast, client_as):
    client = client_as(cast.carla)
    data = xlsx_bytes([["Prénom", "Nom"], [" =1+1", "B"]])
    with translation.override("en"):
        message = refusal(client, cast.programme, data, "people.xlsx")
    assert "Line 2" in message and "formula" in message


def test_a_null_character_deep_in_a_csv_is_removed_before_it_reaches_the_database(cast, client_as):
    padding = [f"P{i};Padding;mentee" for i in range(400)]
    data = csv_bytes(["Prénom;Nom;Rôle", *padding, "Ali;Sa\x00id;mentee"])
    assert data.index(b"\x00") > 4096
    client = client_as(cast.carla)
    assert upload(client, cast.programme, data).status_code == 302
    assert confirm(client, cast.programme, ["Prénom", "Nom", "Rôle"]).status_code == 302
    assert imported(cast.programme).filter(last_name="Said").exists()


def test_the_file_is_read_once_and_its_table_kept_for_the_next_steps(
    cast, client_as, private_media, monkeypatch
):
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())
    (stored,) = (private_media / "imports").iterdir()
    assert stored.suffix == ".json"
    assert b"yusuf@example.org" in stored.read_bytes()

    def read_again(*args):
        raise AssertionError("the file is read again")

    monkeypatch.setattr(reading, "read_table", read_again)
    assert client.get(url(cast.programme, "preview")).context["row_count"] == 3
    page = client.post(url(cast.programme, "preview"), mapping_data(HEADERS))
    assert page.context["error_count"] == 0
    assert confirm(client, cast.programme, HEADERS).status_code == 302
    assert imported(cast.programme).count() == 3


# The same as the test client's MULTIPART_CONTENT, but not that object: the body is sent as given.
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class CountingPayload(FakePayload):
    """The request body as the server hands it over, counting what the view reads of it."""

    bytes_read = 0

    def read(self, size=-1, /):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_an_upload_declared_bigger_than_the_limit_is_refused_without_reading_it(cast, client_as):
    client = client_as(cast.carla)
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("people.csv", good_csv())})
    payload = CountingPayload(body)
    extra = {"CONTENT_LENGTH": str(200 * MB), "wsgi.input": payload}
    response = client.post(url(cast.programme, lang="fr"), body, MULTIPART, **extra)
    assert response.status_code == 200
    assert payload.bytes_read == 0
    message = " ".join(response.context["form"].errors["file"])
    assert "Le fichier est trop volumineux" in message and "5.0 Mo" in message
    assert "Le fichier est trop volumineux" in response.content.decode()
    assert f"import_file_{cast.programme.pk}" not in client.session


def test_an_upload_is_read_only_up_to_the_limit(cast, client_as, settings):
    settings.IMPORT_MAX_BYTES = 100_000
    client = client_as(cast.carla)
    upload(client, cast.programme, good_csv())  # a file already accepted is kept
    big = good_csv() + b"Ali;Said;;;mentee;;;;;\n" * 7_000
    body = encode_multipart(BOUNDARY, {"file": SimpleUploadedFile("people.csv", big)})
    assert len(body) < settings.IMPORT_MAX_BYTES + 64 * 1024  # so the handler is what stops it
    payload = CountingPayload(body)
    response = client.post(url(cast.programme), body, MULTIPART, **{"wsgi.input": payload})
    assert response.status_code == 200
    assert payload.bytes_read < len(body)
    with translation.override("en"):
        assert "too big" in " ".join(response.context["form"].errors["file"])
    assert client.get(url(cast.programme, "preview")).context["row_count"] == 3


def test_the_upload_still_checks_the_csrf_token_once_the_size_is_known(cast, private_media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.carla, backend="django.contrib.auth.backends.ModelBackend")
    response = upload(client, cast.programme, good_csv())
    assert response.status_code == 403
    assert f"import_file_{cast.programme.pk}" not in client.session
    assert not (private_media / "imports").exists()
