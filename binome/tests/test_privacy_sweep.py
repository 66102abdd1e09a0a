"""Walk every URL of the site as every role of organisation A.

Whatever views are added later, a canary stored in organisation B must never reach a user of A,
and what is only for coordinators (legal status, intake notes, private meeting notes, supervision
notes, outcome notes, alerts' resolutions, the other side's check-in comments) never reaches a
mentor, a mentee or anyone outside the organisation's staff. A new URL parameter must be given a
value in `binome/tests/walk.py` (`kwargs_for`), so that no view escapes the sweep.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from binome.testing import CANARY
from binome.tests.walk import (
    CHECKIN_COMMENTS,
    COORDINATOR_ONLY,
    OWN_ANSWER,
    World,
    _questionnaire_response,
    body_text,
    make_world,
    site_urls,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast) -> World:
    return make_world(cast)


def test_no_page_shows_organisation_b_to_organisation_a(cast, world, client_as):
    urls = list(site_urls(cast, world))
    assert len(urls) > 10
    for role in ("anonymous", "mentee", "mentor", "coordinator", "viewer", "admin"):
        client = client_as(cast.users()[role])
        for name, url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, name)
            assert CANARY not in body_text(response), (role, name)


def test_no_page_shows_coordinator_only_data_to_anyone_but_staff(cast, world, client_as):
    urls = list(site_urls(cast, world))
    for role in ("anonymous", "mentee", "mentor", "viewer", "outsider"):
        client = client_as(cast.users()[role])
        hidden = [*COORDINATOR_ONLY] + ([] if role == "mentee" else [OWN_ANSWER])
        if role in CHECKIN_COMMENTS:
            other = "mentor" if role == "mentee" else "mentee"
            hidden.append(CHECKIN_COMMENTS[other])
        for name, url in urls:
            body = body_text(client.get(url))
            for text in hidden:
                assert text not in body, (role, name, text)


def test_the_sweep_would_see_coordinator_only_data_if_it_leaked(cast, world, client_as):
    # Proves the assertions above can fail: a coordinator does see all of it on the pages.
    _questionnaire_response(cast)
    with translation.override("en"):
        pages = [
            reverse("people:detail", args=[cast.programme.pk, cast.amina_participant.pk]),
            reverse("questionnaires:participant", args=[cast.amina_participant.pk]),
            *(reverse("duos:detail", args=[duo.pk]) for duo in world.duos),
        ]
    client = client_as(cast.carla)
    body = "".join(client.get(url).content.decode() for url in pages)
    for text in [*COORDINATOR_ONLY, *CHECKIN_COMMENTS.values(), OWN_ANSWER]:
        assert text in body, text


def test_the_two_sides_do_reach_their_duo_so_the_sweep_is_not_empty(cast, world, client_as):
    with translation.override("en"):
        url = reverse("duos:detail", args=[world.duos[0].pk])
    for role in ("mentee", "mentor"):
        page = client_as(cast.users()[role]).get(url)
        assert page.status_code == 200
        assert "Shared objective" in page.content.decode()
