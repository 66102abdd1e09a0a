"""Post generated input to every form of the site, as each role that is shown it.

The forms are not listed here: each page of the site walk (binome/tests/walk.py) is read as each
role, every `<form method="post">` in it is parsed, and its fields get values from hypothesis:
NUL bytes, bidi overrides, 10,000 characters, markup, wrong types, choices that do not exist,
several values where one is expected, fields missing or added. A form that a view adds later is
found and fuzzed with no change here. Whatever is sent, the answer is a page or a redirect,
never a server error, and never the sent markup unescaped (on the page answered, nor on the page
a redirect leads to, where what was saved is shown). Without its CSRF token a post is refused.

Each input is posted in a savepoint rolled back after it, so every input meets the same world;
a form reached only after another one is sent (the import's preview after its upload) is found
on the page the first one redirects to, and fuzzed before that first post is rolled back.
"""

import contextlib
import copy
import logging
import traceback
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from binome.testing import add_person
from binome.tests.html_forms import TEXT_KINDS, Field, Form, filled, page_forms
from binome.tests.walk import make_world, site_urls

pytestmark = pytest.mark.django_db

# The roles that use forms (the outsider's pages are the privacy sweep's business).
ROLES = ["anonymous", "mentee", "mentor", "coordinator", "admin", "viewer"]
# Forms each role must be found to have, so that a broken walk cannot pass by testing nothing.
FORM_FLOOR = {
    "anonymous": 5,
    "mentee": 6,
    "mentor": 6,
    "coordinator": 25,
    "admin": 25,
    "viewer": 2,
}
# Generated inputs per form, on top of the fixed ones below: small, so that CI stays quick.
EXAMPLES_PER_FORM = 6

# Strings that must never come back unescaped in HTML (the markers) and what carries them.
SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(2)>'
MARKERS = ["<script>alert(", "<img src=x onerror=", 'href="javascript:']
PAYLOADS = {
    "nul": "a\x00b",
    "bidi": "\u202eAmina\u202c evil\u2066",
    "long": "x" * 10_000,
    "script": SCRIPT,
    "image": IMAGE,
}
NASTY_TEXTS = [
    *PAYLOADS.values(),
    "javascript:alert(3)",
    "",
    " ",
    "-1",
    "0",
    "1.5",
    "99999999999999999999999",
    "1e400",
    "NaN",
    "2026-02-30",
    "31/12/2026",
    "not-a-choice",
    "../../etc/passwd",
    "' OR '1'='1",
    "%00",
    "\r\nBcc: victim@example.org",
    '=HYPERLINK("http://x")',
    "\ufeff\u200b\u00a0",
    "ا" * 300,
    "9999-12-31",
    "0001-01-01",
    "9999-12-31T23:59",
    "2147483648",
    "-9223372036854775809",
    "https://evil.example/",
    "//evil.example/",
]
# Values at the edges of what a date, a time or a number column holds.
EXTREMES = {
    "far future": {
        "date": "9999-12-31",
        "datetime-local": "9999-12-31T23:59",
        "month": "9999-12",
        "time": "23:59",
        "number": "2147483648",
        "range": "2147483648",
    },
    "far past": {
        "date": "0001-01-01",
        "datetime-local": "0001-01-01T00:00",
        "month": "0001-01",
        "time": "00:00",
        "number": "-9223372036854775809",
        "range": "-1",
    },
}
OFF_SITE = "https://evil.example/"
# Free text, saved as typed and shown back to people: markup saved there must come back escaped.
PLAIN_TEXT = {"text", "textarea", "search"}
# The first file of each kind is the one a person would send (so that the next step is reached).
FILES = [
    (
        "people.csv",
        "First name,Last name,E-mail,Role,Languages,City\n"
        f"{SCRIPT},\u202eHaddad,fuzz@example.org,mentee,ar,Marseille\n"
        f"Amina,{IMAGE},fuzz2@example.org,mentor,fr,{'x' * 10_000}\n".encode(),
    ),
    ("scan.pdf", b"%PDF-1.4 fuzz"),
    ("<script>alert(1)</script>.pdf", b"%PDF-1.4"),
    ("\u202efdp.exe", b"MZ\x00\x00"),
    ("empty.csv", b""),
    ("sheet.xlsx", b"PK\x03\x04 not a zip"),
    ("nul\x00.csv", b"a\x00b\n"),
]


def as_sent(form: Form) -> dict[str, list]:
    """The form as a person sends it, its files carrying markup (see FILES)."""
    return filled(form, spreadsheet=FILES[0], scan=FILES[1])


def fixed_inputs(form: Form) -> list[tuple[str, dict[str, list]]]:
    """The inputs every form gets, whatever hypothesis draws: each payload in every text field,
    wrong types in every other one, lists, choices that do not exist, nothing, too much."""
    base = as_sent(form)
    buttons = [f for f in form.inputs.values() if f.kind == "submit"]
    cases = [("as a person sends it", base)]
    for button in buttons:
        for value in dict.fromkeys(button.options):
            cases.append((f"button {button.name}={value}", {**base, button.name: [value]}))
    texts = [n for n, f in form.inputs.items() if f.kind in TEXT_KINDS and not f.trap]
    others = [n for n, f in form.inputs.items() if f.kind not in TEXT_KINDS | {"submit", "file"}]
    for label, payload in PAYLOADS.items():
        cases.append((f"{label} in text fields", {**base, **{n: [payload] for n in texts}}))
    # A choice or a hidden value is looked up, or echoed in an error: NUL and markup there.
    for label in ("nul", "script"):
        cases.append(
            (f"{label} in other fields", {**base, **{n: [PAYLOADS[label]] for n in others}})
        )
    cases += [
        ("text in typed fields", {**base, **{n: ["abc"] for n in others}}),
        ("choices that do not exist", {**base, **{n: ["999999999"] for n in others}}),
        (
            "two values in every field",
            {n: [*(v if isinstance(v, list) else [v]), SCRIPT] for n, v in base.items()},
        ),
        *(
            (label, {**base, **{n: [v[f.kind]] for n, f in form.inputs.items() if f.kind in v}})
            for label, v in EXTREMES.items()
        ),
        (
            "an off-site address in hidden fields",
            {**base, **{n: [OFF_SITE] for n, f in form.inputs.items() if f.kind == "hidden"}},
        ),
        ("nothing", {}),
        ("every field empty", {n: [""] for n in form.inputs}),
        ("unknown fields", {**base, "id": ["1"], "organisation": ["2"], "is_staff": ["on"]}),
    ]
    files = [n for n, f in form.inputs.items() if f.kind == "file"]
    for filename, content in FILES if files else []:
        cases.append((f"file {filename!r}", {**base, **{n: [(filename, content)] for n in files}}))
    return cases


def _value_strategy(entry: Field):
    text = st.sampled_from(NASTY_TEXTS) | st.text(max_size=40)
    one = (text | st.sampled_from(entry.options)) if entry.options else text
    if entry.kind == "file":
        return st.one_of(st.none(), st.lists(st.sampled_from(FILES), min_size=1, max_size=2))
    return st.one_of(
        st.just(entry.defaults),
        st.just(entry.defaults),  # twice: most fields keep their value, so others are reached
        one.map(lambda value: [value]),
        st.lists(one, min_size=2, max_size=3),
        st.none(),  # the field is missing
    )


def input_strategy(form: Form):
    fields = {name: _value_strategy(entry) for name, entry in form.inputs.items()}
    return st.tuples(
        st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None}),
        st.dictionaries(st.sampled_from(["id", "pk", "user", "x"]), text_list(), max_size=2),
        st.booleans() if form.htmx else st.just(False),
        st.booleans() if form.enctype != "multipart/form-data" else st.just(False),
    )


def text_list():
    return st.lists(st.sampled_from(NASTY_TEXTS), min_size=1, max_size=2)


@dataclass
class Tally:
    forms: list[tuple[str, str]] = field(default_factory=list)
    inputs: int = 0
    without_csrf: int = 0
    statuses: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def _resolve(url: str):
    """Resolve a path in the language of its prefix (/en/…, /fr/…), whatever is active."""
    path = urlsplit(url).path
    prefix = path.split("/")[1] if path.count("/") > 1 else ""
    language = prefix if prefix in dict(django_settings.LANGUAGES) else None
    with translation.override(language or translation.get_language()):
        return resolve(path)


def _view_name(url: str) -> str:
    try:
        return _resolve(url).view_name
    except Resolver404:
        return f"unresolved {url}"


def _form_key(form: Form) -> tuple:
    return (form.method, _view_name(form.action), tuple(sorted(form.inputs)))


def _encode(data: dict[str, list]) -> dict[str, list]:
    """The values as the test client posts them: files as uploaded files, one value per item."""
    encoded: dict[str, list] = {}
    for name, values in data.items():
        encoded[name] = [
            SimpleUploadedFile(*value) if isinstance(value, tuple) else value for value in values
        ]
        for value in encoded[name]:
            if hasattr(value, "seek"):
                value.seek(0)
    return encoded


class Fuzzer:
    """Posts inputs to the forms one role is shown, and tells what went wrong."""

    def __init__(self, client: Client, role: str, tally: Tally) -> None:
        self.client = client
        self.role = role
        self.tally = tally
        self.seen: set[tuple] = set()

    def discover(self, url: str) -> list[Form]:
        """The post forms of the page at url that this role has not met yet."""
        response = self.client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return []
        found = []
        for form in page_forms(response.content.decode(), url):
            key = _form_key(form)
            if key not in self.seen:
                self.seen.add(key)
                found.append(form)
        return found

    def fuzz(self, form: Form, depth: int = 0) -> None:
        self.tally.forms.append((self.role, f"{_view_name(form.action)} ({form.method})"))
        for label, data in fixed_inputs(form):
            self.submit(form, data, label)
        if depth == 0 and form.method == "post":
            # Sent as a person sends it, and kept while the forms of the page it leads to (a
            # preview, a next step) are fuzzed in turn.
            with self.rolled_back():
                target = self.attempt(
                    form,
                    as_sent(form),
                    "as a person sends it, then on",
                )
                for inner in self.discover(target) if target else []:
                    self.fuzz(inner, depth=1)

        @settings(
            max_examples=EXAMPLES_PER_FORM,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(drawn=input_strategy(form))
        def generated(drawn) -> None:
            data, extra, htmx, urlencoded = drawn
            self.submit(form, {**data, **extra}, "generated", htmx=htmx, urlencoded=urlencoded)

        generated()
        if form.method == "post":
            self.without_csrf(form)

    @contextlib.contextmanager
    def rolled_back(self):
        """A savepoint rolled back at the end, the client's cookies (its session) put back."""
        cookies = copy.deepcopy(self.client.cookies)
        with transaction.atomic():
            try:
                yield
            finally:
                self.client.cookies = cookies
                transaction.set_rollback(True)

    def submit(self, form: Form, data, label: str, *, htmx=False, urlencoded=False) -> None:
        """Post data in a savepoint rolled back after it; record any problem."""
        with self.rolled_back():
            self.attempt(form, data, label, htmx=htmx, urlencoded=urlencoded)

    def attempt(self, form: Form, data, label: str, *, htmx=False, urlencoded=False):
        """Post data and check the answers; record an exception as a problem."""
        self.tally.inputs += 1
        try:
            return self._send(form, data, htmx=htmx, urlencoded=urlencoded)
        except Exception as error:  # noqa: BLE001 (recorded: the test fails at the end)
            where = traceback.extract_tb(error.__traceback__)[-1]
            self._problem(
                form, label, data, f"{type(error).__name__}: {str(error)[:200]} at {where}"
            )
            return None

    def _send(self, form: Form, data, *, htmx: bool, urlencoded: bool) -> str | None:
        """Post, check the answer and the page it redirects to; return that page's URL."""
        headers = {"HX-Request": "true"} if htmx else {}
        has_files = any(isinstance(v, tuple) for vs in data.values() for v in vs)
        if form.method != "post":
            plain = {n: [v for v in vs if isinstance(v, str)] for n, vs in data.items()}
            response = self.client.get(form.action, plain, headers=headers)
        elif urlencoded and not has_files:
            body = urlencode(data, doseq=True)
            response = self.client.post(
                form.action, body, content_type="application/x-www-form-urlencoded", headers=headers
            )
        else:
            response = self.client.post(form.action, _encode(data), headers=headers)
        self._check(form, data, response, "answer")
        location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
        if location.startswith("/") and not location.startswith("//"):
            self._check(form, data, self.client.get(location), f"page after redirect {location}")
            return location
        return None

    def _check(self, form: Form, data, response, what: str) -> None:
        self.tally.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self._problem(form, what, data, f"status {response.status_code}")
            return
        if response.status_code in (301, 302, 303):
            location = response.get("Location", "")
            if not url_has_allowed_host_and_scheme(location, {"testserver"}):
                self._problem(form, what, data, f"redirect off the site: {location!r}")
            return
        content_type = response.get("Content-Type", "")
        if "html" not in content_type or response.streaming:
            return
        body = response.content.decode(errors="replace")
        for marker in MARKERS:
            if marker in body:
                start = body.index(marker)
                self._problem(form, what, data, f"unescaped {body[start - 80 : start + 60]!r}")

    def without_csrf(self, form: Form) -> None:
        """Without its token, or with a wrong one, the post is refused (403), never a 5xx.

        A view exempt from CSRF (the one-click unsubscribe that mail clients post) only has to
        answer without a server error.
        """
        exempt = getattr(_resolve(form.action).func, "csrf_exempt", False)
        if not form.has_csrf_token and not exempt:
            self._problem(form, "form", {}, "a post form without a CSRF token")
        client = Client(enforce_csrf_checks=True)
        client.cookies = copy.deepcopy(self.client.cookies)  # the session and the CSRF cookie
        for token in ([], ["x" * 64]):
            sent = {
                **as_sent(form),
                "csrfmiddlewaretoken": token,
            }
            self.tally.inputs += 1
            self.tally.without_csrf += 1
            with transaction.atomic():
                try:
                    status = client.post(form.action, _encode(sent)).status_code
                except Exception as error:  # noqa: BLE001 (recorded: the test fails at the end)
                    status = 0
                    self._problem(form, "without CSRF", sent, repr(error)[:300])
                finally:
                    transaction.set_rollback(True)
            self.tally.statuses[status] += 1
            if status >= 500 or (status and not exempt and status != 403):
                self._problem(form, "without CSRF", sent, f"status {status}")

    def _problem(self, form: Form, label: str, data, what: str) -> None:
        shown = {k: [repr(v)[:40] for v in vs] for k, vs in data.items()}
        self.tally.problems.append(
            f"{self.role} {_view_name(form.action)} ({form.action}) {label}: {what}\n"
            f"    sent {str(shown)[:400]}"
        )


def _more_pages(cast) -> list[str]:
    """Pages the walk reaches in one of their variants only: the other application forms (a
    mentor's, a city-to-city programme's for teams); and people ready to match, so that the
    matching page proposes pairs to lock, exchange and send."""
    from binome.people.models import Participant
    from binome.programmes.models import Programme

    for index, role in enumerate([Participant.Role.MENTEE, Participant.Role.MENTOR] * 2):
        add_person(cast, role, f"Ready{index}")
    teams = Programme.objects.create(
        organisation=cast.org_a,
        name="Ville à ville",
        slug="ville-a-ville",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
        applications_open=True,
        listed=True,
    )
    with translation.override("en"):
        return [
            reverse("applications:apply", args=[cast.org_a.slug, slug, role])
            for slug, role in [(cast.programme.slug, "mentor"), (teams.slug, "mentee")]
        ]


def _fuzz_role(role: str, cast, client_as) -> Tally:
    # "Not Found", "Forbidden": thousands of warnings that tell nothing here; errors still show.
    for logger in ("django.request", "django.security.csrf"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    world = make_world(cast)
    tally = Tally()
    fuzzer = Fuzzer(client_as(cast.users()[role]), role, tally)
    for url in [*(url for _name, url in site_urls(cast, world)), *_more_pages(cast)]:
        for form in fuzzer.discover(url):
            fuzzer.fuzz(form)
    return tally


@pytest.mark.parametrize("role", ROLES)
def test_no_input_to_any_form_gives_a_server_error_or_unescaped_markup(
    role, cast, client_as, record_property
):
    tally = _fuzz_role(role, cast, client_as)
    record_property("fuzz_forms", len(tally.forms))
    record_property("fuzz_inputs", tally.inputs)
    record_property("fuzz_without_csrf", tally.without_csrf)
    record_property("fuzz_problems", len(tally.problems))
    print(
        f"\n{role}: {len(tally.forms)} forms, {tally.inputs} inputs "
        f"({tally.without_csrf} without CSRF), statuses {dict(sorted(tally.statuses.items()))}"
    )
    for view in sorted({view for _, view in tally.forms}):
        print("   ", view)
    assert len(tally.forms) >= FORM_FLOOR[role], tally.forms
    assert not tally.problems, "\n".join(tally.problems[:40]) + f"\n({len(tally.problems)} in all)"


# Forms that end a session, erase a person or only switch the language: nothing is saved through
# them, and sent for real they would take away the pages the markup is read back on.
NOT_PLANTED = {
    "accounts:logout",
    "set_language",
    "accounts:session_revoke",
    "accounts:sessions_revoke_others",
    "accounts:password_change",
    "accounts:two_factor_disable",
    "programmes:two_factor_reset",
    "privacy:participant_erase",
}


def test_markup_saved_through_any_form_is_escaped_on_every_page(cast, client_as):
    """Markup kept, not rolled back: saved by each role through every form it is shown, then
    read back on every page by every role (stored markup, shown to someone else elsewhere)."""
    for logger in ("django.request", "django.security.csrf"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    world = make_world(cast)
    urls = [*(url for _name, url in site_urls(cast, world)), *_more_pages(cast)]
    tally = Tally()
    saved = SCRIPT + IMAGE
    for role in ["anonymous", "mentee", "mentor", "coordinator", "admin"]:
        fuzzer = Fuzzer(client_as(cast.users()[role]), role, tally)
        for url in urls:
            for form in fuzzer.discover(url):
                if form.method != "post" or _view_name(form.action) in NOT_PLANTED:
                    continue
                texts = [n for n, f in form.inputs.items() if f.kind in PLAIN_TEXT and not f.trap]
                fuzzer.attempt(form, {**as_sent(form), **{n: [saved] for n in texts}}, "saved")
    shown = 0
    for role in [*ROLES, "outsider"]:
        client = client_as(cast.users()[role])
        for url in urls:
            response = client.get(url)
            fuzzer = Fuzzer(client, role, tally)
            fuzzer._check(Form(action=url, method="get"), {}, response, "page")
            if "html" in response.get("Content-Type", "") and not response.streaming:
                shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in response.content.decode()
    print(f"\nmarkup sent through {tally.inputs} forms (per role), shown escaped on {shown} pages")
    assert not tally.problems, "\n".join(tally.problems[:40])
    # Proof that the markup was saved and read back, so that the check above could fail.
    assert shown >= 20, shown


def test_the_parser_finds_fields_defaults_and_honeypots():
    html = """<form method="get"><input name="q"></form>
    <form method="post" action="/en/x/" enctype="multipart/form-data" hx-post="/en/x/">
      <input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input name="website" tabindex="-1"><input type="email" name="email" value="a@b.c">
      <select name="mood"><option value="">-</option><option selected>3</option></select>
      <input type="checkbox" name="needs" value="a" checked>
      <input type="checkbox" name="needs" value="b">
      <textarea name="notes">
hello</textarea><button type="submit" name="action" value="send">Send</button>
      <input type="file" name="scan">
    </form>"""
    search, form = page_forms(html, "/en/page/?q=old")
    assert search.method == "get" and search.action == "/en/page/" and "q" in search.fields
    assert form.action == "/en/x/" and form.htmx and form.has_csrf_token
    fields = form.fields
    assert fields["website"].trap and fields["email"].defaults == ["a@b.c"]
    assert fields["mood"].options == ["", "3"] and fields["mood"].defaults == ["3"]
    assert fields["needs"].options == ["a", "b"] and fields["needs"].defaults == ["a"]
    assert fields["notes"].defaults == ["hello"] and fields["action"].options == ["send"]
    sent = as_sent(form)
    assert sent["website"] == [""] and sent["needs"] == ["a"] and sent["mood"] == ["3"]
    assert "action" not in sent and sent["scan"] == [FILES[0]]
    assert {label for label, _ in fixed_inputs(form)} >= {"nul in text fields", "nothing"}


def test_the_fuzzer_would_see_an_unescaped_echo_and_a_server_error(rf):
    # The checks above can fail: an answer echoing markup raw, or a 500, is a problem.
    from django.http import HttpResponse

    tally = Tally()
    fuzzer = Fuzzer(Client(), "anonymous", tally)
    form = Form(action="/en/x/")
    fuzzer._check(form, {}, HttpResponse(f"<p>{SCRIPT}</p>"), "answer")
    fuzzer._check(form, {}, HttpResponse("<p>&lt;script&gt;alert(1)</p>"), "answer")
    fuzzer._check(form, {}, HttpResponse("oops", status=500), "answer")
    assert len(tally.problems) == 2
    assert "unescaped" in tally.problems[0] and "status 500" in tally.problems[1]
