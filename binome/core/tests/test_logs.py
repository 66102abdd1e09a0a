import io
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
