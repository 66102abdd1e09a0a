"""Simulated users of Binôme at a national network's scale (data: `manage.py load_scale`).

Coordinators read participants (with filters), a participant, the supervision board, a duo and
the matching page; mentors and mentees open their duo, log a meeting and answer a check-in; the
public reads the directory and a programme, and applies. Every user waits 5 to 15 s between two
actions. Each request is named after its page, so that the figures are per page.

Run by bench/load/run.py; by hand: `locust -f bench/load/locustfile.py --host http://…`.
Environment: SCALE_DUOS (2000) and SCALE_PASSWORD, as given to load_scale.
"""

import os
import random
import re
import time

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

DOMAIN = "scale.binome.test"
PASSWORD = os.environ.get("SCALE_PASSWORD", "binome-scale-load")
DUOS = int(os.environ.get("SCALE_DUOS", "2000"))
COORDINATORS = 5
ORGANISATION = "reseau-national"
PROGRAMME_SLUGS = ["interculturel-marseille", "pro-lyon", "pro-paris", "distance",
                   "interculturel-lille"]  # fmt: skip
SEARCHES = ["haddad", "kovalenko", "martin", "diallo", "nowak"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    return found[1] if found else ""


def form_values(html: str) -> dict[str, str]:
    """The values a browser would send as the form stands: text, hidden, number, checked boxes."""
    values: dict[str, str] = {}
    for tag in INPUT.findall(html):
        attributes = dict(ATTRIBUTE.findall(tag))
        name, kind = attributes.get("name"), attributes.get("type", "text")
        if not name or kind in ("submit", "button", "file"):
            continue
        if kind in ("radio", "checkbox") and " checked" not in tag:
            continue
        values.setdefault(name, attributes.get("value", "on"))
    return values


class Browser(FastHttpUser):
    abstract = True
    wait_time = between(5, 15)

    def log_in(self, email: str) -> None:
        page = self.client.get("/fr/accounts/login/", name="login page").text or ""
        with self.client.post(
            "/fr/accounts/login/",
            data={"csrfmiddlewaretoken": csrf_of(page), "username": email, "password": PASSWORD},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login refused ({response.status_code})")


class Coordinator(Browser):
    weight = 2

    def on_start(self) -> None:
        self.log_in(f"coordinator{random.randrange(COORDINATORS)}@{DOMAIN}")
        page = self.client.get("/fr/programmes/", name="programme list").text or ""
        self.programmes = sorted(set(re.findall(r"/fr/programmes/(\d+)/", page))) or ["1"]
        self.participants: list[str] = []
        self.duos: list[str] = []

    @task(3)
    def participants_list(self) -> None:
        programme = random.choice(self.programmes)
        query = random.choice(
            ["", f"?q={random.choice(SEARCHES)}", "?status=ready", "?role=mentor&status=active"]
        )
        page = (
            self.client.get(
                f"/fr/programmes/{programme}/participants/{query}", name="participants list"
            ).text
            or ""
        )
        found = re.findall(rf"/fr/programmes/{programme}/participants/(\d+)/", page)
        self.participants = [f"/fr/programmes/{programme}/participants/{pk}/" for pk in found]

    @task(3)
    def participant_page(self) -> None:
        if not self.participants:
            return self.participants_list()
        self.client.get(random.choice(self.participants), name="participant page")

    @task(3)
    def board(self) -> None:
        query = random.choice(["", "?alerts=on", f"?q={random.choice(SEARCHES)}"])
        page = self.client.get(f"/fr/duos/{query}", name="board").text or ""
        self.duos = sorted(set(re.findall(r'href="/fr/duos/(\d+)/"', page)))

    @task(3)
    def duo_page(self) -> None:
        if not self.duos:
            return self.board()
        self.client.get(f"/fr/duos/{random.choice(self.duos)}/", name="duo page (coordinator)")

    @task(1)
    def matching_page(self) -> None:
        programme = random.choice(self.programmes)
        self.client.get(f"/fr/programmes/{programme}/matching/", name="matching page")


class Participant(Browser):
    """A mentor or a mentee of an open duo (load_scale closes every tenth duo)."""

    weight = 6

    def on_start(self) -> None:
        number = random.choice([i for i in range(min(DUOS, 2000)) if i % 10 != 9])
        self.log_in(f"{random.choice(['mentor', 'mentee'])}{number}@{DOMAIN}")
        self.duo = ""
        self.my_duo()

    @task(4)
    def my_duo(self) -> None:
        with self.client.get(
            "/fr/me/duo/", name="my duo", allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/duos/" not in location:
                # Sent to the login page: this user's login failed (counted under "login").
                response.failure("not logged in" if "login" in location else "no duo")
                return
        self.duo = location
        self.client.get(location, name="duo page (participant)")

    @task(1)
    def log_meeting(self) -> None:
        if not self.duo:
            return
        url = f"{self.duo}meetings/new/"
        page = self.client.get(url, name="meeting form").text or ""
        values = form_values(page)
        values["held"] = "on"
        with self.client.post(
            url, data=values, name="log a meeting", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure("meeting not logged")

    @task(1)
    def check_in(self) -> None:
        if not self.duo:
            return
        url = f"{self.duo}check-in/"
        page = self.client.get(url, name="check-in form").text or ""
        data = {"csrfmiddlewaretoken": csrf_of(page), "mood": str(random.randint(2, 5))}
        with self.client.post(
            url, data=data, name="check-in", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure("check-in not recorded")


class Public(Browser):
    weight = 2

    @task(3)
    def directory(self) -> None:
        self.client.get("/fr/directory/", name="directory")

    @task(2)
    def programme(self) -> None:
        slug = random.choice(PROGRAMME_SLUGS)
        self.client.get(f"/fr/p/{ORGANISATION}/{slug}/", name="programme page")

    @task(1)
    def apply(self) -> None:
        slug = random.choice(PROGRAMME_SLUGS)
        url = f"/fr/p/{ORGANISATION}/{slug}/apply/mentee/"
        page = self.client.get(url, name="application form").text or ""
        stamp = time.monotonic_ns()
        data = {
            **form_values(page),
            "csrfmiddlewaretoken": csrf_of(page),
            "first_name": "Charge",
            "last_name": f"Test{stamp}",
            "email": f"applicant{stamp}@{DOMAIN}",
            "languages_lang_0": "ar",
            "languages_level_0": "native",
            "consent_data": "on",
        }
        with self.client.post(
            url, data=data, name="application", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"application refused ({response.status_code})")
