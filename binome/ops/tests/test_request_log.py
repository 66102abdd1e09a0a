"""The request log masks the tokens of e-mailed links (they act for whoever holds them)."""

import logging

import pytest

from binome.notifications.services import unsubscribe_token


@pytest.mark.django_db
def test_a_link_s_token_is_masked_in_the_log(cast, client, caplog):
    token = unsubscribe_token(cast.amina_participant.pk, "checkin")
    with caplog.at_level(logging.INFO, logger="binome.requests"):
        client.get(f"/en/notifications/unsubscribe/{token}/")
        client.get("/en/accounts/password-reset/MjM/set-password-token-1234/")
    lines = [
        record.getMessage() for record in [r for r in caplog.records if r.name == "binome.requests"]
    ]
    assert lines[0].startswith("GET /en/notifications/unsubscribe/***/ 200 ")
    assert lines[0].endswith("user=-")
    assert "set-password-token-1234" not in lines[1] and "MjM" not in lines[1]
    assert token not in " ".join(lines)
