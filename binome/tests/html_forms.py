"""The forms of a page as a browser sees them, and what a person would send with each.

Read with the standard library's HTML parser: every `<form>`, its method and action, and its
fields with their kinds, options and values as the page sets them. The form fuzzing and the
durability test post through these, so they follow the templates as they change.
"""

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# What a file input gets when a person sends the form: a spreadsheet, or a scan where a PDF is
# accepted.
SPREADSHEET = ("people.csv", b"First name,Last name,E-mail\nAmina,Haddad,amina@example.org\n")
SCAN = ("scan.pdf", b"%PDF-1.4 scan")
TEXT_KINDS = {"text", "textarea", "search", "password", "email", "url", "tel"}


@dataclass
class Field:
    name: str
    kind: str
    defaults: list[str] = field(default_factory=list)
    options: list[str] = field(default_factory=list)
    trap: bool = False  # a honeypot: out of a person's reach (tabindex=-1), left empty
    minimum: str = ""  # a number's min attribute
    accept: str = ""  # a file input's accept attribute
    suggestions: str = ""  # the id of a text input's <datalist> (its options, once read)


@dataclass
class Form:
    action: str
    method: str = "post"
    enctype: str = ""
    htmx: bool = False
    fields: dict[str, Field] = field(default_factory=dict)

    def add(self, name: str, kind: str) -> Field:
        return self.fields.setdefault(name, Field(name, kind))

    @property
    def has_csrf_token(self) -> bool:
        return "csrfmiddlewaretoken" in self.fields

    @property
    def inputs(self) -> dict[str, Field]:
        """The fields a person fills (the CSRF token is sent, or not, apart)."""
        return {n: f for n, f in self.fields.items() if n != "csrfmiddlewaretoken"}


class FormParser(HTMLParser):
    """Collect every form of a page with its fields, their options and defaults."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: list[str] | None = None  # text of an <option> without a value
        self.option_selected = False
        self.textarea: list[str] | None = None
        self.textarea_field: Field | None = None
        self.datalists: dict[str, list[str]] = {}  # the suggestions of text inputs, by id
        self.datalist: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value if value is not None else "" for key, value in attrs}
        if tag == "datalist":
            self.datalist = self.datalists.setdefault(a.get("id", ""), [])
            return
        if tag == "option" and self.datalist is not None and self.select is None:
            self.datalist.append(a.get("value", ""))
            return
        if tag == "form":
            method = a.get("method", "get").lower()
            htmx = f"hx-{method}" in a
            self.form = Form(a.get("action", ""), method, a.get("enctype", ""), htmx)
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"button", "reset", "image"}:
                return
            entry = self.form.add(name, kind)
            entry.trap = entry.trap or a.get("tabindex") == "-1"
            entry.minimum, entry.accept = a.get("min", ""), a.get("accept", "")
            entry.suggestions = a.get("list", "")
            value = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
            if kind in {"checkbox", "radio", "submit"}:
                entry.options.append(value)
                if "checked" in a:
                    entry.defaults.append(value)
            elif kind != "file":
                entry.defaults.append(value)
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self.form.add(name, "submit").options.append(a.get("value", ""))
        elif tag == "select" and name:
            self.select = self.form.add(name, "select")
        elif tag == "option" and self.select is not None:
            self.option_selected = "selected" in a
            if "value" in a:
                self._add_option(a["value"])
            else:
                self.option = []
        elif tag == "textarea" and name:
            self.textarea_field = self.form.add(name, "textarea")
            self.textarea = []

    def _add_option(self, value: str) -> None:
        assert self.select is not None
        self.select.options.append(value)
        if self.option_selected:
            self.select.defaults.append(value)

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option.append(data)
        if self.textarea is not None:
            self.textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "datalist":
            self.datalist = None
        elif tag == "form":
            self.form = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None:
            self._add_option("".join(self.option).strip())
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            assert self.textarea_field is not None
            self.textarea_field.defaults.append("".join(self.textarea).removeprefix("\n"))
            self.textarea = None


def page_forms(html: str, page: str) -> list[Form]:
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        for entry in form.fields.values():
            if entry.suggestions and not entry.options:
                entry.options = parser.datalists.get(entry.suggestions, [])
        form.action = urljoin(page, form.action or page)
        if form.method != "post":  # a browser replaces the query with the form's fields
            form.action = urlsplit(form.action)._replace(query="").geturl()
    return [form for form in parser.forms if urlsplit(form.action).netloc in ("", "testserver")]


def _plausible(entry: Field, index: int) -> list[str]:
    """A value a person could have typed in an empty field, so that the rest of a form is valid
    and a payload in one field reaches the code behind the form's validation."""
    today = datetime.date.today()
    return {
        "email": [f"fuzz{index}@example.org"],
        "url": ["https://example.org/"],
        "tel": ["+33612345678"],
        "number": [entry.minimum or "1"],
        "range": ["1"],
        "date": [today.isoformat()],
        "time": ["10:00"],
        "datetime-local": [f"{today.isoformat()}T10:00"],
        "month": [today.strftime("%Y-%m")],
        "password": ["a-long-Passw0rd-for-fuzz"],
    }.get(entry.kind, ["Fuzz"])


def filled(form: Form, *, spreadsheet=SPREADSHEET, scan=SCAN) -> dict[str, list]:
    """The form as a person would send it: its defaults, empty fields filled, a box ticked each.

    Files are (name, content) pairs, made into uploads at each post (an upload is read once).
    """
    data: dict[str, list] = {}
    for index, (name, entry) in enumerate(form.inputs.items()):
        if entry.kind == "submit":
            continue
        if entry.kind == "file":
            data[name] = [scan if "pdf" in entry.accept else spreadsheet]
        elif entry.kind == "checkbox":
            data[name] = entry.options[:1]
        elif entry.kind in {"radio", "select"}:
            real = [option for option in entry.options if option]
            data[name] = [d for d in entry.defaults if d] or real[:1] or entry.options[:1]
        elif entry.trap or entry.kind == "hidden" or any(entry.defaults):
            data[name] = entry.defaults[:]
        elif entry.options:  # a text input with suggestions: a person picks the first
            data[name] = entry.options[:1]
        else:
            data[name] = _plausible(entry, index)
    return data
