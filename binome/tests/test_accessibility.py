"""Every page, in a real Chromium, checked by axe-core (WCAG 2.1 AA) and for sideways overflow.

Each URL name of the site walk (binome/tests/walk.py) is opened as every role that may read it
(mentee, mentor, coordinator, admin, viewer, anonymous visitor), in French, Arabic and Ukrainian,
on a 360 px phone and a 1280 px screen. A page fails on any axe-core violation of the WCAG 2.0/2.1
A and AA rules, or when it is wider than the window (or, at 1280 px, cuts a table's columns).

`AXE_EVERY=1` walks every role in every language at both widths. By default each role reads each
language at one width, the widths taking turns from role to role and language to language, so
every role, every language and every width is walked at a sixth of the cost. Either way a page
whose content (its <main>) and frame (the rest: header, menus) were each already checked in that
language and width (an admin and a coordinator often get the same list) is not checked twice:
the roles that share pages take the same turns. Each role keeps one browser context (its
session) for its whole walk.

axe-core is vendored under binome/tests/vendor/axe-core (MPL-2.0, its LICENSE beside it); it is
injected as an init script of the browser context, so the site's Content-Security-Policy never
has to let it in.
"""

import hashlib
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from binome.people.services import MemberFields
from binome.tests.walk import make_world, site_urls

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser"), pytest.mark.django_db]

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# AXE_LANGUAGES=ar AXE_WIDTHS=360 narrows a run while fixing a page.
LANGUAGES = os.environ.get("AXE_LANGUAGES", "fr ar uk").split()
WIDTHS = [int(width) for width in os.environ.get("AXE_WIDTHS", "360 1280").split()]
ONLY = os.environ.get("AXE_PAGES", "").split()  # URL names
# AXE_EVERY=1: every role in every language at every width (the whole walk, for a release).
EVERY = os.environ.get("AXE_EVERY", "") == "1"
# Everyone who may read a page reads it: whoever gets it (200, a whole HTML page).
READERS = ["mentee", "mentor", "coordinator", "admin", "viewer", "anonymous"]
HEIGHTS = {360: 740}  # a phone; a screen is 900 px high
# Whose turn it is to take the first width: those who often get the same page share it (an admin
# and a coordinator), and each width has a participant's turn and a member of staff's.
TURNS = {"mentee": 0, "mentor": 1, "coordinator": 0, "admin": 0, "viewer": 1, "anonymous": 1}

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return result.violations.map(v => v.id + " (" + v.impact + "): " + v.help + " — " +
    v.nodes.slice(0, 3).map(n => n.target.join(" ") + " " + n.html.slice(0, 120)).join(" | "));
}"""
WIDER_THAN_WINDOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# What sticks out of the window (outside a scrolling box): the innermost elements, to name them.
STICKING_OUT = """() => {
  const width = window.innerWidth, found = [];
  const out = (el) => {
    const box = el.getBoundingClientRect();
    return box.width && (box.right > width + 1 || box.left < -1);
  };
  const scrolls = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll("body *")) {
    if (out(el) && !scrolls(el) && ![...el.children].some(out))
      found.push(Math.round(el.getBoundingClientRect().width) + "px " + el.outerHTML.slice(0, 80));
  }
  return found.slice(0, 4).join(", ");
}"""
# At 1280 px a table shows all its columns: no table box that has to scroll sideways.
CUT_TABLES = """() => [...document.querySelectorAll(".table-wrap")]
  .filter(w => w.scrollWidth > w.clientWidth + 1)
  .map(w => (w.querySelector("table") || w).className + " " + w.scrollWidth + "px in " +
    w.clientWidth + "px")"""


# The page as it stands, in two parts, its content (<main>) and its frame (the rest, its title
# aside), without what changes from one request to the next (the CSRF token, the
# Content-Security-Policy nonce): two readers who get the same page hash the same.
PAGE_PARTS = """() => {
  const root = document.documentElement.cloneNode(true);
  root.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(e => e.remove());
  root.querySelectorAll("[nonce]").forEach(e => e.removeAttribute("nonce"));
  root.querySelectorAll("[hx-headers]").forEach(e => e.removeAttribute("hx-headers"));
  const main = root.querySelector("main");
  const content = main ? main.outerHTML : "";
  if (main) main.replaceChildren();
  root.querySelectorAll("title").forEach(e => e.replaceChildren());  // each page has its own
  return ["main:" + content, "frame:" + root.outerHTML];
}"""


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def walks(role: str) -> list[tuple[str, int]]:
    """(language, width) in which a role walks its pages: all of them with AXE_EVERY=1, else
    each language once, at the width whose turn it is."""
    if EVERY:
        return [(language, width) for width in WIDTHS for language in LANGUAGES]
    turn = TURNS[role]
    return [
        (language, WIDTHS[(turn + index) % len(WIDTHS)]) for index, language in enumerate(LANGUAGES)
    ]


def readable_pages(cast, world) -> list[tuple[str, str, str]]:
    """(URL name, path, role) for every HTML page of the walk and every role it serves."""
    users = cast.users()
    clients = {role: Client() for role in READERS}
    for role, client in clients.items():
        if users[role] is not None:
            client.force_login(users[role], backend="django.contrib.auth.backends.ModelBackend")
    pages, seen = [], set()
    for name, path in site_urls(cast, world):
        if (name, path) in seen:
            continue
        seen.add((name, path))
        readers = []
        for role in READERS:
            response = clients[role].get(path)
            # Whole pages only: a fragment that htmx fetches is checked within its page.
            whole = not response.streaming and response.content.lstrip()[:9].lower() == b"<!doctype"
            if response.status_code == 200 and whole:
                readers.append(role)
        pages += [(name, path, role) for role in readers]
    return pages


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_every_page_passes_axe_and_fits_its_window(cast, live_server, page_factory):
    world = make_world(cast)
    pages = readable_pages(cast, world)
    assert len(pages) > 40, pages  # the walk reached the site, not a login page
    walked_roles = {role for _, _, role in pages}
    assert {"mentee", "mentor", "coordinator", "admin", "viewer"} <= walked_roles, walked_roles
    users = cast.users()
    cookies = {role: session_cookie(user) for role, user in users.items() if user is not None}
    failures: list[str] = []
    checked: set[tuple[str, int, str]] = set()  # (language, width, hash of a main or a frame)
    started, opened, same = time.monotonic(), 0, 0
    for role in READERS:
        mine = [(name, path) for name, path, reader in pages if reader == role]
        mine = [(name, path) for name, path in mine if not ONLY or name in ONLY]
        if not mine:
            continue
        page = page_factory(1280, 900)  # one context (one session) for the role's whole walk
        page.context.add_init_script(path=str(AXE))
        if role in cookies:
            page.context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookies[role],
                  "url": live_server.url}]
            )  # fmt: skip
        for language, width in walks(role):
            page.set_viewport_size({"width": width, "height": HEIGHTS.get(width, 900)})
            for name, path in mine:
                url = live_server.url + path.replace("/en/", f"/{language}/", 1)
                response = page.goto(url)
                opened += 1
                where = f"{name} as {role} in {language} at {width} px"
                if response is None or response.status != 200:
                    failures.append(f"{where}: status {response and response.status}")
                    continue
                parts = {(language, width, digest(part)) for part in page.evaluate(PAGE_PARTS)}
                if parts <= checked:
                    same += 1
                    continue
                checked |= parts
                if (wider := page.evaluate(WIDER_THAN_WINDOW)) > 0:
                    culprits = page.evaluate(STICKING_OUT)
                    failures.append(f"{where}: {wider} px wider than the window: {culprits}")
                if width >= 1280:
                    for table in page.evaluate(CUT_TABLES):
                        failures.append(f"{where}: a table is cut: {table}")
                for violation in page.evaluate(RUN_AXE, WCAG_AA):
                    failures.append(f"{where}: {violation}")
        page.context.close()
    seconds = time.monotonic() - started
    print(f"\naxe-core: {opened} pages opened, {same} the same as one checked, in {seconds:.0f} s")
    assert not failures, "\n".join(failures)


def test_every_role_walks_every_language_and_both_widths_by_default():
    """The default walk's turns: each role reads each language once, and between them the roles
    read every language at every width."""
    if EVERY:
        pytest.skip("AXE_EVERY=1 walks everything")
    covered = {(language, width) for role in READERS for language, width in walks(role)}
    assert covered == {(language, width) for language in LANGUAGES for width in WIDTHS}
    for role in READERS:
        assert sorted(language for language, _ in walks(role)) == sorted(LANGUAGES)


def test_a_page_read_twice_hashes_the_same(cast, live_server, page_factory):
    """What tells two readers' pages apart is their content, not the request's token or nonce."""
    page = page_factory(360, 740)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(cast.amina),
          "url": live_server.url}]
    )  # fmt: skip
    seen = []
    for _ in range(2):
        page.goto(f"{live_server.url}/ar/me/")
        parts = page.evaluate(PAGE_PARTS)
        assert parts[0].startswith("main:<main") and "<title></title>" in parts[1]
        assert not any("csrfmiddlewaretoken" in part or "nonce=" in part for part in parts)
        seen.append([digest(part) for part in parts])
    assert seen[0] == seen[1]


def test_a_city_team_s_members_fit_a_phone(cast, live_server, page_factory):
    """A city-to-city team's members, on its page and in its form: cards, not an 848 px table."""
    from binome.people import services
    from binome.people.models import Participant

    cast.programme.kind = "city_to_city"
    cast.programme.save(update_fields=["kind"])
    member: MemberFields = {
        "name": "Pietro Capacino-Lombardi",
        "function": "Responsable des relations internationales",
        "member_organisation": "Comune di Capaci, Assessorato alla cultura",
        "email": "pietro.capacino-lombardi@capaci.example",
        "is_representative": True,
    }
    team = services.participant_create(
        programme=cast.programme, role=Participant.Role.MENTEE, kind=Participant.Kind.TEAM,
        team_name="Capaci",
        members=[member, MemberFields(**{**member, "is_representative": False})],
    )  # fmt: skip
    page = page_factory(360, 740)
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(cast.carla),
          "url": live_server.url}]
    )  # fmt: skip
    base = f"{live_server.url}/fr/programmes/{cast.programme.pk}/participants/{team.pk}/"
    for url in (base, f"{base}edit/"):
        page.goto(url)
        assert (
            page.locator("text=Pietro Capacino-Lombardi").count()
            or page.locator("input[value='Pietro Capacino-Lombardi']").count()
        ), url
        assert page.evaluate(WIDER_THAN_WINDOW) <= 0, (url, page.evaluate(STICKING_OUT))
        cut = [table for table in page.evaluate(CUT_TABLES) if "cards" in table]
        assert not cut, (url, cut)  # the members are cards; a grid of slots may scroll
