import pytest
from django.urls import reverse

from binome.testing import CANARY

pytestmark = pytest.mark.django_db

# None: the page itself, a coordinator's to-dos across her programmes.
HOME_REDIRECTS = {
    "anonymous": "programmes:directory",
    "mentee": "people:my_space",
    "mentor": "people:my_space",
    "coordinator": None,
    "viewer": "programmes:list",
    "admin": None,
    "outsider": None,
}


def test_home_sends_each_role_where_it_works(cast_once, client_as):
    for role, user in cast_once.users().items():
        response = client_as(user).get(reverse("home"))
        if HOME_REDIRECTS[role] is None:
            assert response.status_code == 200, role
            if role != "outsider":  # her own organisation's to-dos
                assert CANARY not in response.content.decode(), role
        else:
            assert response.status_code == 302, role
            assert response["Location"] == reverse(HOME_REDIRECTS[role]), role


def test_a_user_without_any_role_is_told_to_contact_a_coordinator(cast_once, client_as):
    from binome.accounts.models import User

    lonely = User.objects.create_user(email="lonely@x.example", password="x", full_name="Lone")
    response = client_as(lonely).get(reverse("home"))
    assert response.status_code == 200
    assert CANARY not in response.content.decode()


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:password_reset", "accounts:password_reset_done"]
)
def test_account_pages_answer_every_role_and_leak_nothing(cast_once, client_as, name):
    for role, user in cast_once.users().items():
        response = client_as(user).get(reverse(name))
        # A logged-in user is sent on from the login page; the others show a form.
        expected = 302 if (name == "accounts:login" and user is not None) else 200
        assert response.status_code == expected, role
        if role != "outsider":
            assert CANARY not in response.content.decode(), role


def test_an_unknown_page_answers_a_friendly_404(cast_once, client_as):
    response = client_as(cast_once.carla).get("/fr/no-such-page/")
    assert response.status_code == 404
    assert "<html" in response.content.decode()


def test_pages_are_right_to_left_in_arabic(cast_once, client_as):
    response = client_as(None).get("/ar/accounts/login/")
    assert 'dir="rtl"' in response.content.decode()
    assert 'lang="ar"' in response.content.decode()
