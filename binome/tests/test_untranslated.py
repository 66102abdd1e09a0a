"""Every page a mentee or a mentor reads, in Arabic and Ukrainian, speaks only that language.

The interface is written in English (the catalogues' msgids): a text of a page, or an accessible
name (aria-label, title, placeholder), that is exactly an English msgid whose translation differs
is an interface string left untranslated. Texts written for participants in another language
carry their own `lang` (binome.core.content) and are not the interface: they are skipped, as are
names shown in their own language (the language picker). The failure names each string and page.
"""

from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings

from binome.tests.walk import make_world, site_urls

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.BASE_DIR) / "locale"
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@cache
def english_strings(language: str) -> frozenset[str]:
    """The interface's English texts that the language's catalogue says differently (or not)."""
    strings = set()
    for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po")):
        if entry.obsolete or entry.msgid_plural or "%" in entry.msgid or "{" in entry.msgid:
            continue
        if entry.msgstr.strip() != entry.msgid.strip() and len(entry.msgid) > 3:
            strings.add(" ".join(entry.msgid.split()))
    return frozenset(strings)


class Texts(HTMLParser):
    """Collect the texts and accessible names a page shows in its own language."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, inside another language or a script)
        self.found: list[str] = []

    def _foreign(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = (values.get("lang") or "").split("-")[0]
        foreign = (
            self._foreign()
            or tag in {"script", "style"}
            or bool(lang and lang != self.language and tag != "html")
        )
        if not foreign:
            self.found += [" ".join((values.get(a) or "").split()) for a in ATTRIBUTES]
        if tag not in VOID:
            self.stack.append((tag, foreign))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self._foreign():
            self.found.append(" ".join(data.split()))


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_no_mentee_or_mentor_page_leaves_an_interface_string_untranslated(
    cast, client_as, language
):
    world = make_world(cast)
    english = english_strings(language)
    untranslated: set[tuple[str, str, str]] = set()
    walked = 0
    for role in ("mentee", "mentor"):
        client = client_as(cast.users()[role])
        for name, url in site_urls(cast, world):
            response = client.get(url.replace("/en/", f"/{language}/", 1))
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            walked += 1
            parser = Texts(language)
            parser.feed(response.content.decode())
            for text in parser.found:
                if text in english:
                    untranslated.add((role, name, text))
    assert walked > 10
    assert not untranslated, "\n".join(
        f"{language} · {role} · {name}: “{text}”" for role, name, text in sorted(untranslated)
    )


def test_the_walk_would_see_an_english_string_on_an_arabic_page():
    parser = Texts("ar")
    parser.feed(
        '<html lang="ar"><p>My duo</p><p lang="fr"><b>My duo</b></p>'
        '<a aria-label="My space" href="/">x</a><script>var a = "My duo";</script></html>'
    )
    flagged = [text for text in parser.found if text in english_strings("ar")]
    assert flagged == ["My duo", "My space"]
