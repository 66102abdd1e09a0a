"""Keep personal data out of the logs."""

import datetime
import json
import logging
import re
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase

# The query string of a URL in a request line: "GET /fr/people/?q=haddad HTTP/1.1".
_QUERY = re.compile(r"(?P<path>/[^\s?\"']*)\?[^\s\"']*")


class DropQueryStrings(logging.Filter):
    """Remove query strings from the URLs of a logged request line.

    Searches put people's names in the URL (the participant list's and the supervision board's
    ?q=haddad), and access logs are kept, copied and read far more widely than the records.
    The path stays: it is what an operator needs to follow a request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = _QUERY.sub(r"\g<path>", message)
        if cleaned != message:
            # Formatted once here: the arguments held the query string too.
            record.msg, record.args = cleaned, ()
        return True


# Path parts the URL patterns name so: capabilities (password-set, unsubscribe and questionnaire
# links log in or act for whoever holds them), which a log must not hand to its readers.
SECRET_URL_PARTS = ("token", "uidb64")
request_logger = logging.getLogger("binome.requests")


def logged_path(request: HttpRequest) -> str:
    """Return the request's path without its query string, and with its tokens masked."""
    path = request.path
    match = request.resolver_match
    if match is not None:
        for name in SECRET_URL_PARTS:
            value = match.kwargs.get(name)
            if isinstance(value, str) and value:
                path = path.replace(value, "***")
    return path


def response_size(response: HttpResponseBase) -> int | None:
    if isinstance(response, HttpResponse):
        return len(response.content)
    length = response.get("Content-Length")
    return int(length) if length and length.isdigit() else None


class RequestLog:
    """Log one line per request: method, path, status, duration, response size, user id.

    What an operator needs to follow the load and the errors, and nothing a reader of the logs
    should not see: no query string (searches carry names), no token, no address, no name; the
    account's number at most. Static files served by WhiteNoise are logged too (it sits below).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        fields = {
            "method": request.method,
            "path": logged_path(request),
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "size": response_size(response),
            "user": user.pk if user is not None and user.is_authenticated else None,
        }
        request_logger.info(
            "%s %s %s %sms %sB user=%s",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            "-" if fields["size"] is None else fields["size"],
            "-" if fields["user"] is None else fields["user"],
            extra={"request_fields": fields},
        )
        return response


class JsonFormatter(logging.Formatter):
    """One JSON object per line (LOG_FORMAT=json); a request's line carries its fields apart."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "request_fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
