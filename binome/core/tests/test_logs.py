import io
import json
import logging

import pytest

from binome.core.logs import DropQueryStrings


def server_record(request_line: str) -> logging.LogRecord:
    """A record as runserver logs a request: the request line, the status, the size."""
    return logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        (request_line, "200", "5120"),
        None,
    )


@pytest.mark.parametrize(
    ("request_line", "logged"),
    [
        ("GET /fr/people/?q=haddad HTTP/1.1", '"GET /fr/people/ HTTP/1.1" 200 5120'),
        (
            "GET /fr/duos/?q=Amina+Haddad&status=all&sort=end HTTP/1.1",
            '"GET /fr/duos/ HTTP/1.1" 200 5120',
        ),
        ("GET http://example.org/fr/people/?q=nowak HTTP/1.1", "http://example.org/fr/people/ "),
        ("GET /fr/people/ HTTP/1.1", '"GET /fr/people/ HTTP/1.1" 200 5120'),
    ],
)
def test_a_logged_request_line_keeps_its_path_and_loses_its_query_string(request_line, logged):
    record = server_record(request_line)
    assert DropQueryStrings().filter(record) is True
    assert logged in record.getMessage()
    for name in ("haddad", "Haddad", "nowak", "status="):
        assert name not in record.getMessage()


def test_runserver_s_access_log_goes_through_the_filter():
    logger = logging.getLogger("django.server")
    assert logger.handlers, "the settings' LOGGING configures runserver's access log"
    stream = io.StringIO()
    handler = logger.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    previous = handler.setStream(stream)
    try:
        logger.info(
            '"%s" %s %s', "GET /fr/people/?q=haddad HTTP/1.1", "200", "5120",
            extra={"server_time": "04/Dec/2026 10:00:00"},
        )  # fmt: skip
    finally:
        handler.setStream(previous)
    assert '"GET /fr/people/ HTTP/1.1" 200 5120' in stream.getvalue()
    assert "haddad" not in stream.getvalue()


def test_django_s_request_log_goes_through_the_filter(caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        logging.getLogger("django.request").warning("Not Found: %s", "/fr/people/?q=haddad")
    assert [record.getMessage() for record in caplog.records] == ["Not Found: /fr/people/"]


def request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "binome.requests"]


@pytest.mark.django_db
def test_each_request_is_one_line_without_query_string_or_personal_data(cast, client_as, caplog):
    from django.urls import reverse

    url = reverse("people:list", args=[cast.programme.pk])
    with caplog.at_level(logging.INFO, logger="binome.requests"):
        response = client_as(cast.carla).get(url + "?q=haddad&status=all")
    [record] = request_lines(caplog)
    line = record.getMessage()
    assert line.startswith(f"GET {url} 200 ")
    assert line.endswith(f"B user={cast.carla.pk}")
    assert f" {len(response.content)}B " in line
    for personal in ("haddad", "q=", "carla@", "Carla", "Amina"):
        assert personal not in line
    fields = record.request_fields  # type: ignore[attr-defined]
    assert fields["path"] == url and fields["status"] == 200 and fields["user"] == cast.carla.pk
    assert fields["duration_ms"] > 0


def test_the_json_format_gives_a_request_s_fields_apart():
    from binome.core.logs import JsonFormatter

    record = logging.LogRecord("binome.requests", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.request_fields = {"method": "GET", "path": "/", "status": 200, "size": 10}
    entry = json.loads(JsonFormatter().format(record))
    assert entry["logger"] == "binome.requests" and entry["level"] == "INFO"
    assert entry["message"] == "GET / 200"
    assert (entry["method"], entry["path"], entry["status"], entry["size"]) == ("GET", "/", 200, 10)
    assert entry["time"].endswith("+00:00")
