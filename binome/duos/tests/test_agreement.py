import datetime
import re
import stat
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from binome.accounts.models import User
from binome.core.models import AuditEvent
from binome.duos import agreement_text, pdf
from binome.duos.agreement_defaults import DEFAULT_TEXTS
from binome.duos.models import Agreement, AgreementTemplate, Duo, Signature
from binome.duos.services import agreement as services
from binome.duos.services.common import DuoError
from binome.people.models import Participant, TeamMember
from binome.programmes.models import Programme
from binome.testing import CANARY, PARTIES_AND_STAFF, PASSWORD, ROLES, STAFF_ONLY

DUO_PAGE = PARTIES_AND_STAFF
ADMIN_ONLY = {**STAFF_ONLY, "coordinator": 404}

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.4\n% scan\n"


def shown_texts(duo) -> dict[str, str]:
    """The texts a signer reads now: as signed, or computed from the template until one signs."""
    fresh = Duo.objects.get(pk=duo.pk)  # names and dates as they are now in the database
    return agreement_text.texts_of(Agreement.objects.filter(duo=fresh).first(), fresh)


def en(name: str, *args) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def sign(duo, party, user, name, language="fr"):
    return services.agreement_sign(
        duo=duo, party=party, actor=user, typed_name=name, language=language
    )


def sign_by_all(cast, duo):
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    sign(duo, "mentor", cast.marek, "Marek Nowak")
    sign(duo, "coordinator", cast.carla, "Carla Coordinatrice")
    duo.refresh_from_db()
    return Agreement.objects.get(duo=duo)


def scan(content=PNG, name="scan.png"):
    return SimpleUploadedFile(name, content, content_type="image/png")


def record_paper(cast, duo, party="mentee", **overrides):
    fields = {
        "duo": duo,
        "party": party,
        "actor": cast.carla,
        "signer_name": "Amina Haddad",
        "signed_on": timezone.localdate(),
        "scan": scan(),
    }
    return services.agreement_record_paper(**{**fields, **overrides})


# Default texts and templates.


def test_every_kind_of_programme_has_a_french_and_an_english_default_text():
    assert set(DEFAULT_TEXTS) == set(Programme.Kind.values)
    for texts in DEFAULT_TEXTS.values():
        assert set(texts) == {"fr", "en", "ar", "uk"}
        for text in texts.values():
            assert agreement_text.unknown_placeholders(text) == []
            for name in ("$mentor", "$mentee", "$start", "$end", "$coordinator_contact"):
                assert name in text
    assert "Three visits: two in the mentee city" in DEFAULT_TEXTS["city_to_city"]["en"]
    assert "Trois visites : deux dans la ville mentorée" in DEFAULT_TEXTS["city_to_city"]["fr"]


def test_the_agreement_is_filled_with_the_duos_details_in_four_languages(cast, duo):
    texts = shown_texts(duo)
    assert set(texts) == {"fr", "en", "ar", "uk"}
    for text in texts.values():
        assert "Marek Nowak" in text and "Amina Haddad" in text
        assert "Mentorat interculturel" in text and "Hors Pistes" in text
        assert "carla@a.example" in text and "Carla Coordinatrice" in text
        assert "$" not in text
    end = duo.planned_end_on
    assert str(end.year) in texts["en"]
    assert "6 months" in texts["en"] and "2 times a month" in texts["en"]


def test_a_template_saved_in_arabic_gives_unsigned_agreements_an_arabic_text(cast, duo):
    services.agreement_template_save(
        programme=cast.programme, language="ar", body="اتفاقية $mentor و $mentee", actor=cast.adam
    )
    texts = shown_texts(duo)
    assert texts["ar"] == "اتفاقية Marek Nowak و Amina Haddad"
    assert set(texts) == {"fr", "en", "ar", "uk"}


def test_the_shipped_arabic_and_ukrainian_are_to_be_checked_until_an_admin_confirms(cast):
    assert agreement_text.unchecked_languages(cast.programme) == ["ar", "uk"]
    services.agreement_template_confirm(programme=cast.programme, language="ar", actor=cast.adam)
    assert agreement_text.unchecked_languages(cast.programme) == ["uk"]
    template = AgreementTemplate.objects.get(programme=cast.programme, language="ar")
    assert template.body == DEFAULT_TEXTS[cast.programme.kind]["ar"].strip()
    assert AuditEvent.objects.filter(action="agreement.template_confirm").count() == 1
    # Confirmed twice, or a language Binôme wrote itself: refused, nothing written.
    for language in ("ar", "fr"):
        with pytest.raises(DuoError):
            services.agreement_template_confirm(
                programme=cast.programme, language=language, actor=cast.adam
            )
    # An admin who saves her own text has checked it too.
    services.agreement_template_save(
        programme=cast.programme, language="uk", body="Угода $mentee", actor=cast.adam
    )
    assert agreement_text.unchecked_languages(cast.programme) == []


def test_an_admin_confirms_a_translation_from_the_template_editor(cast, client_as):
    url = en("duos:agreement_template", cast.programme.pk)
    client = client_as(cast.adam)
    response = client.post(url, {"language": "uk", "confirm": "1"}, follow=True)
    page = response.content.decode()
    assert "Translation confirmed" in page
    assert "Translation to be checked by the organisation" not in page
    assert AgreementTemplate.objects.filter(language="uk").exists()
    refused = client_as(cast.carla).post(url, {"language": "ar", "confirm": "1"})
    assert refused.status_code == 404
    assert not AgreementTemplate.objects.filter(language="ar").exists()


def test_each_signer_signs_in_her_language_and_every_version_is_frozen_and_hashed(cast, duo):
    sign(duo, "mentee", cast.amina, "Amina Haddad", language="ar")
    sign(duo, "mentor", cast.marek, "Marek Nowak", language="uk")
    sign(duo, "coordinator", cast.carla, "Carla Coordinatrice", language="fr")
    agreement = Agreement.objects.get(duo=duo)
    assert agreement.frozen_at is not None
    assert set(agreement.texts) == {"fr", "en", "ar", "uk"}
    assert agreement.text_hash == agreement_text.texts_hash(agreement.texts)
    for signature in agreement.signatures.all():
        expected = agreement_text.text_hash(agreement.texts[signature.language])
        assert signature.text_hash == expected
    assert "التزامات الشخص المستفيد من الإرشاد" in agreement.texts["ar"]
    assert "Marek Nowak" in agreement.texts["ar"]
    assert "Зобов'язання наставника або наставниці" in agreement.texts["uk"]
    if pdf.SHAPING:
        document = pdf.build_agreement_pdf(agreement, "ar")
        assert "السرّية" in "\n".join(document.written)
        assert agreement.text_hash in document.footer_text


def test_a_template_with_an_unknown_placeholder_is_refused_and_nothing_saved(cast, duo):
    before = shown_texts(duo)
    with translation.override("en"), pytest.raises(DuoError) as error:
        services.agreement_template_save(
            programme=cast.programme,
            language="fr",
            body="Bonjour $mentee et $salary",
            actor=cast.adam,
        )
    assert "$salary" in error.value.messages[0]
    assert not AgreementTemplate.objects.exists()
    assert shown_texts(duo) == before


def test_a_template_runs_no_template_code(cast, duo):
    body = "{{ settings.SECRET_KEY }} {% debug %} $$5 ${mentee} $mentor"
    services.agreement_template_save(
        programme=cast.programme, language="fr", body=body, actor=cast.adam
    )
    text = shown_texts(duo)["fr"]
    assert text == "{{ settings.SECRET_KEY }} {% debug %} $5 Amina Haddad Marek Nowak"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_admins_open_the_template_editor(cast, client_as, role):
    response = client_as(cast.users()[role]).get(en("duos:agreement_template", cast.programme.pk))
    assert response.status_code == ADMIN_ONLY[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "$coordinator_contact" in page
        assert "Commitments of the mentor" not in page  # the French default is shown first
        assert "Engagements du ou de la mentor·e" in page
        assert CANARY not in page


@pytest.mark.parametrize("role", ROLES)
def test_only_the_organisations_admins_save_the_template(cast, client_as, role):
    response = client_as(cast.users()[role]).post(
        en("duos:agreement_template", cast.programme.pk),
        {"language": "en", "body": "Agreement of $mentee", "save": "1"},
    )
    assert response.status_code == {**ADMIN_ONLY, "admin": 302}[role]
    assert AgreementTemplate.objects.exists() == (role == "admin")


def test_the_outsiders_programme_template_is_out_of_reach(cast, client_as):
    url = en("duos:agreement_template", cast.programme_b.pk)
    assert client_as(cast.adam).get(url).status_code == 404


def test_the_template_editor_previews_without_saving_and_flags_unknown_placeholders(
    cast, client_as
):
    client = client_as(cast.adam)
    url = en("duos:agreement_template", cast.programme.pk)
    response = client.post(
        url, {"language": "en", "body": "## Parties\nWith $organisation and $oops", "preview": "1"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "With Hors Pistes and $oops" in page
    assert "Unknown placeholders: $oops" in page
    assert not AgreementTemplate.objects.exists()
    refused = client.post(url, {"language": "en", "body": "$oops", "save": "1"}, follow=True)
    assert "Unknown placeholder: $oops" in refused.content.decode()
    assert not AgreementTemplate.objects.exists()


def based_on(page: str) -> str:
    found = re.search(r'name="based_on" value="([^"]*)"', page)
    assert found is not None
    return found.group(1)


def test_two_admins_editing_the_template_at_once_the_second_is_told(cast, client_as):
    url = en("duos:agreement_template", cast.programme.pk)
    services.agreement_template_save(
        programme=cast.programme, language="en", body="First text of $mentee", actor=cast.adam
    )
    first, second = client_as(cast.adam), client_as(cast.adam)
    stamp = based_on(first.get(url + "?language=en").content.decode())
    assert based_on(second.get(url + "?language=en").content.decode()) == stamp
    saved = {"language": "en", "body": "Text by the first", "save": "1", "based_on": stamp}
    assert first.post(url, saved).status_code == 302
    response = second.post(url, {**saved, "body": "Text by the second"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Adam Admin saved this agreement template while you were editing" in page
    assert "Text by the second" in page  # kept in the form
    assert AgreementTemplate.objects.get(language="en").body == "Text by the first"
    # Saving again after a look replaces the newer text, knowingly.
    again = {**saved, "body": "Text by the second", "based_on": based_on(page)}
    assert second.post(url, again).status_code == 302
    assert AgreementTemplate.objects.get(language="en").body == "Text by the second"


def test_the_template_editor_refuses_a_language_that_is_not_offered(cast, client_as):
    client = client_as(cast.adam)
    url = en("duos:agreement_template", cast.programme.pk)
    assert client.get(url + "?language=xx").status_code == 404
    for data in ({"language": "xx"}, {"language": ""}, {}):
        response = client.post(url, {**data, "body": "Agreement of $mentee", "save": "1"})
        assert response.status_code == 404
    assert not AgreementTemplate.objects.exists()
    assert client.get(url).status_code == 200  # no language asked: the first one


def test_the_template_editor_shows_the_english_default_and_the_arabic_to_be_checked(
    cast, client_as
):
    client = client_as(cast.adam)
    url = en("duos:agreement_template", cast.programme.pk)
    english = client.get(url + "?language=en").content.decode()
    assert "Commitments of the mentor" in english
    arabic = client.get(url + "?language=ar").content.decode()
    assert 'dir="rtl"' in arabic and "التزامات الشخص المستفيد من الإرشاد" in arabic
    assert "Translation to be checked by the organisation" in arabic


# Signing.


def test_signatures_by_all_three_activate_the_duo_and_freeze_the_text(cast, duo):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2), tick=False):
        agreement = sign_by_all(cast, duo)
        now = timezone.now()
    assert agreement.frozen_at == now
    assert agreement.text_hash == agreement_text.texts_hash(agreement.texts)
    assert len(agreement.text_hash) == 64
    assert duo.status == Duo.Status.ACTIVE and duo.activated_at == now
    for participant in (cast.marek_participant, cast.amina_participant):
        participant.refresh_from_db()
        assert participant.status == Participant.Status.ACTIVE
    signatures = {s.party: s for s in agreement.signatures.all()}
    assert signatures["mentee"].text_hash == agreement_text.text_hash(agreement.texts["fr"])
    assert signatures["mentee"].method == Signature.Method.ONLINE
    assert AuditEvent.objects.filter(action="agreement.freeze").count() == 1


def test_the_duo_stays_starting_until_the_last_signature(cast, duo):
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    sign(duo, "mentor", cast.marek, "Marek Nowak")
    duo.refresh_from_db()
    agreement = Agreement.objects.get(duo=duo)
    assert duo.status == Duo.Status.STARTING and agreement.frozen_at is None
    assert agreement.text_hash == ""


def test_a_template_change_after_freezing_does_not_alter_the_text(cast, duo):
    agreement = sign_by_all(cast, duo)
    frozen = dict(agreement.texts)
    services.agreement_template_save(
        programme=cast.programme, language="fr", body="Nouveau texte $mentee", actor=cast.adam
    )
    services.agreement_open(duo=duo, actor=cast.adam)
    agreement.refresh_from_db()
    assert agreement.texts == frozen
    assert agreement_text.is_intact(agreement)


def test_a_template_change_after_the_first_signature_does_not_alter_the_text(cast, duo):
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    before = shown_texts(duo)
    services.agreement_template_save(
        programme=cast.programme, language="fr", body="Nouveau texte $mentee", actor=cast.adam
    )
    assert shown_texts(duo) == before


def test_the_hash_detects_a_text_changed_after_freezing(cast, duo, client_as):
    agreement = sign_by_all(cast, duo)
    assert agreement_text.is_intact(agreement)
    tampered = {**agreement.texts, "fr": agreement.texts["fr"].replace("Marek", "Marc")}
    Agreement.objects.filter(pk=agreement.pk).update(texts=tampered)
    agreement.refresh_from_db()
    assert not agreement_text.is_intact(agreement)
    page = client_as(cast.carla).get(en("duos:agreement", duo.pk)).content.decode()
    assert "no longer match the hash" in page
    assert "Verified" not in page


def test_the_page_shows_the_verified_mark_and_the_hash_once_frozen(cast, duo, client_as):
    agreement = sign_by_all(cast, duo)
    page = client_as(cast.amina).get(en("duos:agreement", duo.pk)).content.decode()
    assert "Verified: the texts are exactly those signed by all." in page
    assert agreement.text_hash in page
    assert "Sign as" not in page


@pytest.mark.parametrize(
    "typed", ["amina haddad", "  AMINA   Haddad ", "Haddad Amina", "Àmina Hâddad", "amina-haddad"]
)
def test_the_typed_name_is_compared_without_case_accents_spaces_or_order(cast, duo, typed):
    signature = sign(duo, "mentee", cast.amina, typed)
    assert signature.typed_name == " ".join(typed.split())


def test_a_name_that_does_not_match_is_refused_and_nothing_saved(cast, duo):
    with translation.override("en"), pytest.raises(DuoError) as error:
        sign(duo, "mentee", cast.amina, "Amina Nowak")
    assert "does not match" in error.value.messages[0]
    assert not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action="agreement.sign").exists()


@pytest.mark.parametrize(
    ("who", "party", "name"),
    [
        ("marek", "mentee", "Marek Nowak"),
        ("amina", "mentor", "Amina Haddad"),
        ("amina", "coordinator", "Amina Haddad"),
        ("vera", "coordinator", "Vera Viewer"),
        ("vera", "mentee", "Vera Viewer"),
        ("olga", "coordinator", "Olga Outsider"),
        ("carla", "mentee", "Carla Coordinatrice"),
    ],
)
def test_someone_who_is_not_the_party_cannot_sign(cast, duo, who, party, name):
    with pytest.raises(DuoError):
        sign(duo, party, getattr(cast, who), name)
    assert not Signature.objects.exists()


def test_a_party_signs_only_once(cast, duo):
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    with translation.override("en"), pytest.raises(DuoError) as error:
        sign(duo, "mentee", cast.amina, "Amina Haddad")
    assert "already signed" in error.value.messages[0]
    with pytest.raises(DuoError):
        record_paper(cast, duo, party="mentee")
    assert Signature.objects.count() == 1


def test_nobody_signs_on_a_closed_duo(cast, duo):
    Duo.objects.filter(pk=duo.pk).update(status=Duo.Status.CLOSED)
    duo.refresh_from_db()
    with pytest.raises(DuoError):
        sign(duo, "mentee", cast.amina, "Amina Haddad")
    with pytest.raises(DuoError):
        record_paper(cast, duo)
    assert not Signature.objects.exists()


def test_a_signature_in_a_language_without_text_is_refused(cast, duo):
    with pytest.raises(DuoError):
        sign(duo, "mentee", cast.amina, "Amina Haddad", language="de")
    assert not Signature.objects.exists()


def test_a_text_changed_since_it_was_shown_is_not_signed(cast, duo):
    shown = agreement_text.text_hash(shown_texts(duo)["fr"])
    services.agreement_template_save(
        programme=cast.programme, language="fr", body="Autre texte $mentee", actor=cast.adam
    )
    with translation.override("en"), pytest.raises(DuoError) as error:
        services.agreement_sign(
            duo=duo,
            party="mentee",
            actor=cast.amina,
            typed_name="Amina Haddad",
            language="fr",
            seen_hash=shown,
        )
    assert "has just changed" in error.value.messages[0]
    assert not Signature.objects.exists()


def sign_on_page(client, duo, seen_hash, name="Amina Haddad", party="mentee"):
    data = {"party": party, "language": "en", "typed_name": name, "confirm": "on"}
    if seen_hash is not None:
        data["seen_hash"] = seen_hash
    return client.post(en("duos:agreement_sign", duo.pk), data)


def english_hash(duo) -> str:
    return agreement_text.text_hash(shown_texts(duo)["en"])


def test_a_name_changed_after_preparing_is_shown_and_signed(cast, duo, client_as):
    prepared = english_hash(duo)
    Participant.objects.filter(pk=cast.marek_participant.pk).update(last_name="Nowak-Lis")
    client = client_as(cast.amina)
    page = client.get(en("duos:agreement", duo.pk) + "?language=en").content.decode()
    assert "Marek Nowak-Lis" in page
    shown = english_hash(duo)
    assert shown != prepared and f'value="{shown}"' in page
    assert sign_on_page(client, duo, shown).status_code == 302
    assert Signature.objects.get().text_hash == shown


def test_a_stale_hash_is_refused_then_the_new_text_is_shown_and_signed(cast, duo, client_as):
    stale = english_hash(duo)
    Participant.objects.filter(pk=cast.marek_participant.pk).update(last_name="Nowak-Lis")
    client = client_as(cast.amina)
    refused = sign_on_page(client, duo, stale)
    assert refused.status_code == 400
    assert "has just changed" in refused.content.decode()
    assert not Signature.objects.exists()
    assert not AuditEvent.objects.filter(action="agreement.sign").exists()
    page = client.get(en("duos:agreement", duo.pk) + "?language=en").content.decode()
    assert "Marek Nowak-Lis" in page
    fresh = english_hash(duo)
    assert fresh != stale and f'value="{fresh}"' in page and f'value="{stale}"' not in page
    assert sign_on_page(client, duo, fresh).status_code == 302
    assert Signature.objects.get().text_hash == fresh


def test_the_refused_page_offers_the_new_text_to_sign(cast, duo, client_as):
    stale = english_hash(duo)
    Participant.objects.filter(pk=cast.marek_participant.pk).update(last_name="Nowak-Lis")
    client = client_as(cast.amina)
    page = sign_on_page(client, duo, stale).content.decode()
    fresh = english_hash(duo)
    assert "Marek Nowak-Lis" in page and f'value="{fresh}"' in page
    assert f'value="{stale}"' not in page
    assert sign_on_page(client, duo, fresh).status_code == 302


def test_a_coordinator_changed_after_preparing_does_not_block_signing(cast, duo):
    stale = agreement_text.text_hash(shown_texts(duo)["fr"])
    Duo.objects.filter(pk=duo.pk).update(coordinator=cast.adam)
    duo.refresh_from_db()
    with pytest.raises(DuoError):
        services.agreement_sign(
            duo=duo,
            party="mentee",
            actor=cast.amina,
            typed_name="Amina Haddad",
            language="fr",
            seen_hash=stale,
        )
    assert not Signature.objects.exists()
    agreement = agreement_text.agreement_as_shown(Duo.objects.get(pk=duo.pk))  # as the page
    assert cast.adam.full_name in agreement.texts["fr"]
    fresh = agreement_text.text_hash(agreement.texts["fr"])
    signature = services.agreement_sign(
        duo=duo,
        party="mentee",
        actor=cast.amina,
        typed_name="Amina Haddad",
        language="fr",
        seen_hash=fresh,
    )
    assert signature.text_hash == fresh


def test_a_signature_posted_without_the_hash_of_the_text_seen_is_refused(cast, duo, client_as):
    response = sign_on_page(client_as(cast.amina), duo, None)
    assert response.status_code == 400
    assert "has just changed" in response.content.decode()
    assert not Signature.objects.exists()


def test_a_signed_agreement_is_not_refreshed_when_viewed(cast, duo, client_as):
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    before = shown_texts(duo)
    Participant.objects.filter(pk=cast.marek_participant.pk).update(last_name="Nowak-Lis")
    page = client_as(cast.amina).get(en("duos:agreement", duo.pk)).content.decode()
    assert "Nowak-Lis" not in page
    assert shown_texts(duo) == before


def test_a_mentor_already_active_with_another_mentee_stays_active(cast, duo):
    Participant.objects.filter(pk=cast.marek_participant.pk).update(
        status=Participant.Status.ACTIVE
    )
    cast.marek_participant.refresh_from_db()
    duo.mentor.refresh_from_db()
    sign_by_all(cast, duo)
    cast.marek_participant.refresh_from_db()
    assert cast.marek_participant.status == Participant.Status.ACTIVE
    assert duo.status == Duo.Status.ACTIVE


def test_a_city_team_signs_through_its_representative(cast, client_as):
    programme = Programme.objects.create(
        organisation=cast.org_a,
        name="Villes",
        slug="villes",
        kind=Programme.Kind.CITY_TO_CITY,
        mode=Programme.Mode.HYBRID,
        meetings_per_month=1,
        duration_months=12,
    )
    mentor_team = Participant.objects.create(
        programme=programme, role="mentor", kind="team", team_name="Mechelen", status="matched"
    )
    mentee_team = Participant.objects.create(
        programme=programme, role="mentee", kind="team", team_name="Capaci", status="matched"
    )
    rep = User.objects.create_user(email="rep@capaci.example", password=PASSWORD, full_name="X")
    TeamMember.objects.create(
        participant=mentee_team,
        name="Giulia Rossi",
        email="rep@capaci.example",
        is_representative=True,
    )
    duo = Duo.objects.create(programme=programme, mentor=mentor_team, mentee=mentee_team)
    from binome.duos.services.common import duo_start

    duo_start(duo=duo, actor=cast.carla)
    services.agreement_open(duo=duo, actor=cast.carla)
    agreement = agreement_text.agreement_as_shown(duo)
    assert "Three visits" in agreement.texts["en"] and "Capaci" in agreement.texts["en"]
    assert "12 months" in agreement.texts["en"]
    with pytest.raises(DuoError):
        sign(duo, "mentor", rep, "Giulia Rossi")
    signature = sign(duo, "mentee", rep, "giulia rossi", language="en")
    assert signature.user == rep
    page = client_as(rep).get(en("duos:agreement", duo.pk)).content.decode()
    assert "giulia rossi" in page  # the name as it was typed


# Paper signatures.


def test_a_coordinator_records_a_paper_signature_with_its_scan(cast, duo):
    signature = record_paper(cast, duo, scan=scan(PDF, "Amina Haddad signed.pdf"))
    assert signature.method == Signature.Method.PAPER
    assert signature.scan.name.endswith(".pdf")
    assert "Amina" not in signature.scan.name  # the browser's file name is not kept
    assert signature.language == "fr"  # Amina reads French among the texts there are
    assert signature.user == cast.carla


def test_a_stored_scan_is_readable_by_binome_s_own_account_only(cast, duo, settings):
    signature = record_paper(cast, duo)
    path = Path(signature.scan.path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    # The folders made for it too, up to the media root.
    for folder in [path.parent, *path.parent.parents]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        if folder == Path(settings.MEDIA_ROOT):
            break


def test_paper_signatures_by_all_three_activate_the_duo(cast, duo):
    record_paper(cast, duo, party="mentee")
    record_paper(cast, duo, party="mentor", signer_name="Marek Nowak")
    sign(duo, "coordinator", cast.carla, "Carla Coordinatrice")
    duo.refresh_from_db()
    assert duo.status == Duo.Status.ACTIVE


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"scan": None}, "Attach the scan"),
        ({"scan": scan(b"GIF89a" + b"\0" * 20, "fake.png")}, "PDF, JPEG or PNG"),
        ({"scan": scan(b"MZ\x90\0 not a pdf", "virus.pdf")}, "PDF, JPEG or PNG"),
        ({"scan": scan(PNG + b"\0" * (5 * 1024 * 1024))}, "5 MB"),
        ({"signed_on": timezone.localdate() + datetime.timedelta(days=1)}, "future"),
        ({"signed_on": timezone.localdate() - datetime.timedelta(days=3)}, "before the duo"),
        ({"signer_name": "  "}, "name of the person"),
        ({"actor": "vera"}, "Only the organisation's coordinators"),
        ({"actor": "olga"}, "Only the organisation's coordinators"),
        ({"actor": "marek"}, "Only the organisation's coordinators"),
    ],
)
def test_a_bad_paper_signature_is_refused_and_nothing_saved(cast, duo, overrides, message):
    if "actor" in overrides:
        overrides["actor"] = getattr(cast, overrides["actor"])
    with translation.override("en"), pytest.raises(DuoError) as error:
        record_paper(cast, duo, **overrides)
    assert message in error.value.messages[0]
    assert not Signature.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_the_scan_is_served_to_the_organisations_staff_only(cast, duo, client_as, role):
    signature = record_paper(cast, duo, scan=scan(PDF, "x.pdf"))
    response = client_as(cast.users()[role]).get(en("duos:signature_scan", duo.pk, signature.pk))
    assert response.status_code == STAFF_ONLY[role]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF


def test_a_scan_is_not_reachable_through_another_duo(cast, duo, client_as):
    signature = record_paper(cast, duo)
    Participant.objects.filter(pk=cast.amina_participant.pk).update(status="ready")
    other = Duo.objects.create(
        programme=cast.programme, mentor=cast.marek_participant, mentee=cast.canary_participant
    )
    url = en("duos:signature_scan", other.pk, signature.pk)
    assert client_as(cast.carla).get(url).status_code == 404


def stored_scans(settings) -> list:
    folder = settings.MEDIA_ROOT / "agreements"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_paper_signature_failing_after_the_scan_is_written_leaves_no_file(
    cast, duo, settings, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("audit failed")

    monkeypatch.setattr(services, "audit", fail)
    with pytest.raises(RuntimeError):
        record_paper(cast, duo)
    assert not Signature.objects.exists()
    assert stored_scans(settings) == []


def test_a_paper_signature_failing_validation_writes_no_file(cast, duo, settings, monkeypatch):
    def invalid(self, *args, **kwargs):
        raise DuoError("invalid")

    monkeypatch.setattr(Signature, "full_clean", invalid)
    with pytest.raises(DuoError):
        record_paper(cast, duo)
    assert not Signature.objects.exists()
    assert stored_scans(settings) == []


def test_a_recorded_paper_signature_keeps_its_scan(cast, duo, settings):
    signature = record_paper(cast, duo)
    assert stored_scans(settings) == [settings.MEDIA_ROOT / signature.scan.name]


def test_a_scan_missing_on_disk_is_not_found(cast, duo, client_as):
    signature = record_paper(cast, duo)
    signature.scan.storage.delete(signature.scan.name)
    url = en("duos:signature_scan", duo.pk, signature.pk)
    assert client_as(cast.carla).get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="agreement.scan_view").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_post_a_paper_signature(cast, duo, client_as, role):
    data = {
        "party": "mentee",
        "signer_name": "Amina Haddad",
        "signed_on": timezone.localdate().isoformat(),
        "language": "fr",
        "scan": scan(),
    }
    response = client_as(cast.users()[role]).post(en("duos:agreement_paper", duo.pk), data)
    assert response.status_code == {**STAFF_ONLY, "coordinator": 302, "admin": 302}[role]
    assert Signature.objects.exists() == (role in ("coordinator", "admin"))


def test_a_bad_scan_sent_through_the_page_is_refused_with_a_message(cast, duo, client_as):
    data = {
        "party": "mentee",
        "signer_name": "Amina Haddad",
        "signed_on": timezone.localdate().isoformat(),
        "language": "fr",
        "scan": SimpleUploadedFile("scan.pdf", b"not a pdf at all"),
    }
    response = client_as(cast.carla).post(en("duos:agreement_paper", duo.pk), data)
    assert response.status_code == 400
    assert "The scan must be a PDF, JPEG or PNG file." in response.content.decode()
    assert not Signature.objects.exists()


# The agreement page.


def test_a_duo_without_an_agreement_gets_one_when_its_page_is_opened(cast, duo, client_as):
    Agreement.objects.filter(duo=duo).delete()
    response = client_as(cast.amina).get(en("duos:agreement", duo.pk))
    assert response.status_code == 200
    assert "Amina Haddad" in shown_texts(duo)["en"]


@pytest.mark.parametrize("role", ROLES)
def test_the_agreement_page_is_for_the_duo_and_its_staff(cast, duo, client_as, role):
    response = client_as(cast.users()[role]).get(en("duos:agreement", duo.pk))
    assert response.status_code == DUO_PAGE[role]
    if response.status_code == 200:
        page = response.content.decode()
        assert "Marek Nowak" in page and "Amina Haddad" in page
        assert CANARY not in page
        assert "Private intake note" not in page
        assert ("Record a signature made on paper" in page) == (role in ("coordinator", "admin"))


def test_each_side_is_offered_its_own_sign_form(cast, duo, client_as):
    mentee = client_as(cast.amina).get(en("duos:agreement", duo.pk)).content.decode()
    assert "Sign as mentee" in mentee and "Sign as mentor" not in mentee
    assert "Sign as coordinator" not in mentee
    coordinator = client_as(cast.carla).get(en("duos:agreement", duo.pk)).content.decode()
    assert "Sign as coordinator" in coordinator and "Sign as mentee" not in coordinator


def test_the_page_shows_the_text_in_the_viewers_language_with_a_switch(cast, duo, client_as):
    client = client_as(cast.amina)
    english = client.get(en("duos:agreement", duo.pk)).content.decode()
    assert "Commitments of the mentee" in english
    assert '?language=fr"' in english
    french = client.get(en("duos:agreement", duo.pk) + "?language=fr").content.decode()
    assert "Engagements de la personne mentorée" in french
    # Arabic has the text Binôme ships, marked as such until the organisation confirms it.
    arabic = client.get(en("duos:agreement", duo.pk).replace("/en/", "/ar/")).content.decode()
    assert "التزامات الشخص المستفيد من الإرشاد" in arabic
    assert "to-check" in arabic


def test_the_page_shows_an_arabic_text_right_to_left(cast, duo, client_as):
    services.agreement_template_save(
        programme=cast.programme, language="ar", body="## الأطراف\n$mentee", actor=cast.adam
    )
    page = client_as(cast.amina).get(en("duos:agreement", duo.pk) + "?language=ar")
    assert 'lang="ar" dir="rtl"' in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_signing_through_the_page(cast, duo, client_as, role):
    agreement = agreement_text.agreement_as_shown(duo)
    user = cast.users()[role]
    party = {"mentee": "mentee", "mentor": "mentor"}.get(role, "coordinator")
    data = {
        "party": party,
        "language": "en",
        "seen_hash": agreement_text.text_hash(agreement.texts["en"]),
        "typed_name": user.full_name if user else "Nobody",
        "confirm": "on",
    }
    response = client_as(user).post(en("duos:agreement_sign", duo.pk), data)
    signs = role in ("mentee", "mentor", "coordinator", "admin")
    assert (
        response.status_code
        == {**DUO_PAGE, **dict.fromkeys(["mentee", "mentor", "coordinator", "admin"], 302)}[role]
    )
    assert Signature.objects.filter(party=party).exists() == signs


def test_a_wrong_name_on_the_page_keeps_the_form_and_says_why(cast, duo, client_as):
    agreement = agreement_text.agreement_as_shown(duo)
    data = {
        "party": "mentee",
        "language": "en",
        "seen_hash": agreement_text.text_hash(agreement.texts["en"]),
        "typed_name": "Someone Else",
        "confirm": "on",
    }
    response = client_as(cast.amina).post(en("duos:agreement_sign", duo.pk), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "does not match the name we have for you" in page
    assert 'value="Someone Else"' in page
    unticked = client_as(cast.amina).post(
        en("duos:agreement_sign", duo.pk), {**data, "typed_name": "Amina Haddad", "confirm": ""}
    )
    assert "Tick the box" in unticked.content.decode()
    assert not Signature.objects.exists()


def test_a_mentor_cannot_sign_for_the_mentee_through_the_page(cast, duo, client_as):
    data = {"party": "mentee", "language": "fr", "typed_name": "Marek Nowak", "confirm": "on"}
    response = client_as(cast.marek).post(en("duos:agreement_sign", duo.pk), data)
    assert response.status_code == 400
    assert not Signature.objects.exists()


# The PDF.


@pytest.mark.parametrize("role", ROLES)
def test_the_pdf_is_for_the_duo_and_its_staff(cast, duo, client_as, role):
    response = client_as(cast.users()[role]).get(en("duos:agreement_pdf", duo.pk))
    assert response.status_code == DUO_PAGE[role]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF-")
        assert CANARY.encode() not in response.content


def test_the_pdf_holds_the_parties_the_text_the_signatures_and_the_hash(cast, duo):
    agreement = sign_by_all(cast, duo)
    document = pdf.build_agreement_pdf(agreement, "fr")
    written = "\n".join(document.written)
    for expected in ("Marek Nowak", "Amina Haddad", "Carla Coordinatrice", "Hors Pistes"):
        assert expected in written
    assert "Confidentialité" in written and "Engagements de la personne mentorée" in written
    assert agreement.text_hash in document.footer_text
    data = bytes(document.output())
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-10:]
    assert b"/FontFile2" in data and b"DejaVu" in data  # the font is embedded
    assert document.pages_count >= 2


def test_the_pdf_renders_cyrillic_text(cast, duo):
    services.agreement_template_save(
        programme=cast.programme,
        language="uk",
        body="## Сторони\nУгода між $mentor та $mentee.",
        actor=cast.adam,
    )
    agreement = agreement_text.agreement_as_shown(Duo.objects.get(pk=duo.pk))
    document = pdf.build_agreement_pdf(agreement, "uk")
    assert "Угода між Marek Nowak та Amina Haddad." in document.written
    assert bytes(document.output()).startswith(b"%PDF-")


def test_arabic_is_printed_only_when_text_shaping_is_available(cast, duo):
    services.agreement_template_save(
        programme=cast.programme, language="ar", body="اتفاقية $mentee", actor=cast.adam
    )
    agreement = agreement_text.agreement_as_shown(duo)
    assert ("ar" in pdf.pdf_languages(agreement)) == pdf.SHAPING
    if not pdf.SHAPING:
        assert pdf.pdf_language(agreement, "ar") == "fr"


# In a real browser.


@pytest.mark.browser
@pytest.mark.xdist_group("browser")
def test_the_arabic_mentee_logs_in_from_a_french_page_and_signs_in_arabic_on_a_phone(
    cast, duo, live_server, page_factory
):
    User.objects.filter(pk=cast.amina.pk).update(language="ar")
    Participant.objects.filter(pk=cast.amina_participant.pk).update(language="ar")
    programme = Programme.objects.get(pk=cast.programme.pk)
    programme.translations = {"name": {"ar": "الإرشاد بين الثقافات"}}
    programme.save(update_fields=["translations"])
    phone = page_factory(width=360, height=740, locale="fr-FR")
    # She follows a French link: after login she reads Arabic, her own language.
    phone.goto(f"{live_server.url}/fr/accounts/login/?next=/fr/duos/{duo.pk}/agreement/")
    phone.fill("#id_username", "amina@a.example")
    phone.fill("#id_password", PASSWORD)
    phone.click("main button[type=submit]")
    url = f"/ar/duos/{duo.pk}/agreement/"
    phone.wait_for_url(f"**{url}")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    text = phone.locator(".agreement-text")
    assert text.get_attribute("dir") == "rtl" and text.get_attribute("lang") == "ar"
    shown = phone.inner_text(".agreement-text")
    # The shipped Arabic agreement, with the programme's own Arabic name in it.
    assert "التزامات الشخص المستفيد من الإرشاد" in shown
    assert "«الإرشاد بين الثقافات»" in shown
    assert phone.locator(".to-check").count() == 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.fill("#id_typed_name", "Amina Haddad")
    phone.check("#id_confirm")
    phone.click(".sign-form button[type=submit]")
    phone.wait_for_selector(".messages")
    signature = Signature.objects.get()
    assert (signature.party, signature.language) == ("mentee", "ar")
    assert phone.locator(".sign-form").count() == 0
    # Her PDF is the Arabic one.
    link = phone.locator("a[href*='/agreement/pdf/']").first
    assert link.get_attribute("href").endswith("?language=ar")
    printed = phone.request.get(live_server.url + link.get_attribute("href"))
    assert printed.ok and printed.body().startswith(b"%PDF-")
    assert "-ar.pdf" in printed.headers["content-disposition"]
    document = pdf.build_agreement_pdf(Agreement.objects.get(duo=duo), "ar")
    assert any("السرّية" in line for line in document.written)
    # My duo names the programme in Arabic too.
    phone.goto(f"{live_server.url}/ar/me/duo/")
    assert "الإرشاد بين الثقافات" in phone.inner_text("main")


# Reading writes nothing.


def _writes(queries) -> list[str]:
    """The statements that change data, the session's own row aside."""
    return [
        query["sql"]
        for query in queries
        if query["sql"].lstrip().split(" ", 1)[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in query["sql"]
    ]


@pytest.mark.parametrize("viewer", ["mentee", "coordinator"])
def test_viewing_or_printing_an_unsigned_agreement_writes_nothing(cast, duo, client_as, viewer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from binome.core.models import AuditEvent

    Participant.objects.filter(pk=cast.marek_participant.pk).update(last_name="Nowak-Lis")
    audit_rows = AuditEvent.objects.count()
    client = client_as(cast.users()[viewer])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(en("duos:agreement", duo.pk) + "?language=en")
        printed = client.get(en("duos:agreement_pdf", duo.pk) + "?language=en")
    assert page.status_code == 200 and printed.status_code == 200
    assert "Marek Nowak-Lis" in page.content.decode()  # computed on read from today's names
    assert _writes(queries.captured_queries) == []
    assert Agreement.objects.get(duo=duo).texts == {}
    assert AuditEvent.objects.count() == audit_rows


def test_a_duo_without_an_agreement_row_shows_one_and_the_first_signature_creates_it(cast, duo):
    Agreement.objects.filter(duo=duo).delete()
    shown = agreement_text.agreement_as_shown(duo)
    assert shown.pk is None and "Amina Haddad" in shown.texts["fr"]
    assert not Agreement.objects.filter(duo=duo).exists()
    sign(duo, "mentee", cast.amina, "Amina Haddad")
    stored = Agreement.objects.get(duo=duo)
    assert stored.texts == shown.texts
