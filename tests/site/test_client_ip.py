"""The client address throttling counts by: REMOTE_ADDR, or the proxy's header."""

import pytest
from django.test import RequestFactory

from coursesite.client_ip import client_ip


def request_with(**meta):
    return RequestFactory().get("/", **meta)


def test_without_a_header_setting_the_connecting_address_counts(settings):
    settings.CLIENT_IP_HEADER = ""

    request = request_with(REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.1")

    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("header", "meta", "expected"),
    [
        ("X-Real-IP", {"HTTP_X_REAL_IP": "198.51.100.7"}, "198.51.100.7"),
        # The right-most entry is the proxy's; the rest came from the client.
        (
            "X-Forwarded-For",
            {"HTTP_X_FORWARDED_FOR": "1.2.3.4, 198.51.100.7"},
            "198.51.100.7",
        ),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "2001:db8::1"}, "2001:db8::1"),
        # Missing or garbled: the connecting address.
        ("X-Real-IP", {}, "10.0.0.5"),
        ("X-Real-IP", {"HTTP_X_REAL_IP": "not-an-address"}, "10.0.0.5"),
    ],
)
def test_behind_a_proxy_its_header_counts(settings, header, meta, expected):
    settings.CLIENT_IP_HEADER = header

    assert client_ip(request_with(REMOTE_ADDR="10.0.0.5", **meta)) == expected


def test_no_address_at_all_still_gives_one(settings):
    settings.CLIENT_IP_HEADER = ""

    assert client_ip(request_with(REMOTE_ADDR="")) == "0.0.0.0"
