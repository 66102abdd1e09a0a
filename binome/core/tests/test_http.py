import pytest
from django.test import RequestFactory

from binome.core.http import client_address


def request(remote="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_a_proxy_the_client_is_the_connection_whatever_it_claims(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        # The client wrote the left part itself; the proxy appended what it saw.
        (1, "10.9.9.9, 198.51.100.1", "198.51.100.1"),
        (1, "10.9.9.9,198.51.100.1 ", "198.51.100.1"),
        # A load balancer, then a reverse proxy: the client is second from the right.
        (2, "10.9.9.9, 198.51.100.1, 192.0.2.10", "198.51.100.1"),
        (2, "198.51.100.1", "198.51.100.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_trusted_proxies_the_client_is_the_right_most_address_they_did_not_add(
    settings, proxies, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    assert client_address(request(remote="192.0.2.99", forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", " , ", "not-an-address", "198.51.100.1:4711"])
def test_a_missing_or_malformed_forwarded_address_falls_back_to_the_connection(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(remote="192.0.2.99", forwarded=forwarded)) == "192.0.2.99"
