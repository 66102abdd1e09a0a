"""Walk every URL of the site as every role of organisation A.

Whatever views are added later, a canary stored in organisation B must never reach a user of A,
and what is only for coordinators (legal status, intake notes) never reaches a mentor or mentee.
A new URL parameter must be given a value below, so that no view escapes the sweep.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from conftest import CANARY

pytestmark = pytest.mark.django_db

SKIPPED_NAMESPACES = {"admin"}
# Pages that reset a password need a token of their own; they show no tenant data.
SKIPPED_NAMES = {"accounts:password_reset_confirm", "set_language", "accounts:logout"}


def _patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from _patterns(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, list(entry.pattern.regex.groupindex)


def _proposal(cast):
    from binome.matching.models import Proposal

    proposal = Proposal.objects.filter(mentee=cast.amina_participant).first()
    return proposal or Proposal.objects.create(
        programme=cast.programme, mentee=cast.amina_participant, mentor=cast.marek_participant
    )


def _kwargs_for(cast, params):
    values = {
        "proposal_id": _proposal(cast).pk,
        "programme_id": cast.programme.pk,
        "participant_id": cast.amina_participant.pk,
        "pk": cast.amina_participant.pk,
        "org_slug": cast.org_a.slug,
        "programme_slug": cast.programme.slug,
        "role": "mentee",
    }
    missing = [param for param in params if param not in values]
    assert not missing, f"give the privacy sweep a value for {missing}"
    return {param: values[param] for param in params}


def _urls(cast):
    for name, params in sorted({(n, tuple(p)) for n, p in _patterns()}):
        if name in SKIPPED_NAMES or name.split(":")[0] in SKIPPED_NAMESPACES:
            continue
        with translation.override("en"):
            yield name, reverse(name, kwargs=_kwargs_for(cast, params))


def test_no_page_shows_organisation_b_to_organisation_a(cast, client_as):
    urls = list(_urls(cast))
    assert len(urls) > 10
    for role in ("anonymous", "mentee", "mentor", "coordinator", "viewer", "admin"):
        client = client_as(cast.users()[role])
        for name, url in urls:
            response = client.get(url)
            assert response.status_code < 500, (role, name)
            assert CANARY not in response.content.decode(), (role, name)


def test_no_page_shows_coordinator_only_data_to_mentors_or_mentees(cast, client_as):
    for role in ("mentee", "mentor"):
        client = client_as(cast.users()[role])
        for name, url in _urls(cast):
            body = client.get(url).content.decode()
            assert "Private intake note about Amina" not in body, (role, name)
            assert "Asylum seeker" not in body, (role, name)


def test_the_sweep_would_see_coordinator_only_data_if_it_leaked(cast, client_as):
    # Proves the assertions above can fail: a coordinator does see both on Amina's page.
    with translation.override("en"):
        url = reverse("people:detail", args=[cast.programme.pk, cast.amina_participant.pk])
    body = client_as(cast.carla).get(url).content.decode()
    assert "Private intake note about Amina" in body
    assert "Asylum seeker" in body
