import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from binome.core.errors import Refused
from binome.resources import services
from binome.resources.filetypes import sniff
from binome.resources.models import Resource

PDF = b"%PDF-1.4 guide"


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def make(cast, title="Guide", *, organisation=None, **fields):
    data = {"kind": Resource.Kind.DOCUMENT, "title": title, "for_mentors": True, **fields}
    return services.resource_create(
        organisation=organisation or cast.org_a, actor=cast.carla, data=data
    )


def attach(resource, language="fr", content=PDF, name="guide.pdf"):
    return services.resource_file_attach(
        resource=resource,
        actor=None,
        language=language,
        upload=SimpleUploadedFile(name, content),
    )


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_it_judges_a_file_by_its_bytes_not_its_name():
    assert sniff(io.BytesIO(PDF), "x.exe") == "pdf"
    assert sniff(io.BytesIO(docx()), "x.pdf") == "docx"
    assert sniff(io.BytesIO(b"MZ\x90\x00 windows program"), "guide.pdf") is None
    assert sniff(io.BytesIO(b"<svg onload=alert(1)>"), "x.png") is None


def test_it_refuses_a_file_of_the_wrong_type_with_a_clear_message(cast):
    resource = make(cast)
    with translation.override("en"), pytest.raises(Refused, match="type is not accepted"):
        attach(resource, content=b"#!/bin/sh\nrm -rf /", name="guide.pdf")
    assert not resource.files.exists()


def test_it_refuses_a_file_over_the_size_limit(cast, settings):
    settings.RESOURCE_MAX_BYTES = 1024 * 1024
    resource = make(cast)
    with translation.override("en"), pytest.raises(Refused, match="too large: 1 MB"):
        attach(resource, content=PDF + b"0" * 1024 * 1024)


def test_the_upload_form_shows_the_refusal_and_keeps_the_resource(cast, client_as):
    resource = make(cast)
    response = client_as(cast.carla).post(
        en("resources:upload", resource.pk),
        {"language": "fr", "file": SimpleUploadedFile("virus.pdf", b"MZ not a pdf")},
    )
    assert response.status_code == 400
    assert "type is not accepted" in response.content.decode()
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_a_file_is_served_only_to_its_audience(cast, client_as):
    resource = make(cast, for_mentors=True, for_mentees=False)
    stored = attach(resource)
    url = en("resources:file", resource.pk, stored.pk)
    expected = {
        "anonymous": 302,
        "mentee": 404,
        "mentor": 200,
        "coordinator": 200,
        "viewer": 200,
        "admin": 200,
        "outsider": 404,
    }
    for role, user in cast.users().items():
        response = client_as(user).get(url)
        assert response.status_code == expected[role], role
    response = client_as(cast.marek).get(url)
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Security-Policy"] == "sandbox"


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        ("resources:library", (), {"mentee": 200, "mentor": 200, "outsider": 200}),
        ("resources:detail", ("R",), {"mentee": 200, "mentor": 404, "outsider": 404}),
        ("resources:edit", ("R",), {"mentee": 404, "mentor": 404, "viewer": 404, "outsider": 404}),
        (
            "resources:create",
            ("O",),
            {"mentee": 404, "mentor": 404, "viewer": 404, "outsider": 404},
        ),
    ],
)
def test_the_role_matrix(cast, client_as, name, args, expected):
    resource = make(cast, for_mentors=False, for_mentees=True)
    values = {"R": resource.pk, "O": cast.org_a.pk}
    url = en(name, *[values[a] for a in args])
    defaults = {"anonymous": 302, "coordinator": 200, "admin": 200, "viewer": 200}
    for role, user in cast.users().items():
        wanted = expected.get(role, defaults.get(role))
        assert client_as(user).get(url).status_code == wanted, role


def test_a_mentee_sees_the_resources_in_her_language_first(cast, client_as):
    cast.amina_participant.language = "uk"
    cast.amina_participant.save(update_fields=["language"])
    make(cast, "A French guide", for_mentees=True)
    ukrainian = make(cast, "B guide", for_mentees=True)
    attach(ukrainian, language="uk")
    make(cast, "C for mentors only", for_mentees=False)
    make(cast, "D other organisation", organisation=cast.org_b, for_mentees=True)
    page = client_as(cast.amina).get(en("resources:library")).content.decode()
    assert page.index("B guide") < page.index("A French guide")
    assert "C for mentors only" not in page
    assert "D other organisation" not in page


def test_a_coordinator_creates_a_link_and_a_link_without_address_is_refused(cast, client_as):
    client = client_as(cast.carla)
    url = en("resources:create", cast.org_a.pk)
    data = {"kind": "link", "title": "CAF", "audiences": ["mentees"], "version": 1}
    response = client.post(url, data)
    assert "needs its address" in response.content.decode()
    assert not Resource.objects.exists()
    response = client.post(url, {**data, "url": "https://www.caf.fr"})
    assert response.status_code == 302
    assert Resource.objects.get().for_mentees
