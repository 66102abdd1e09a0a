"""Keep personal data out of the logs."""

import logging
import re

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
