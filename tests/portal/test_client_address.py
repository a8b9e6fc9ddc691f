"""The client address behind the reverse proxy (issue 15, item 5): one helper for the rate
limits and the sign-in lock-out; a client's own X-Forwarded-For gains it nothing."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from portal.client_address import client_address
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    clear_cache,
)
from tests.complaints.triage_support import officer_a  # noqa: F401 (fixture)
from tests.factories import TEST_PASSWORD


@pytest.fixture(autouse=True)
def _category(request):
    """The category these tests submit under: a transactional test elsewhere may have flushed the
    taxonomy that a data migration loads."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from tests.complaints.triage_support import category_ensure

        category_ensure()


PROXY = "10.0.0.2"


def _request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("count", "remote", "forwarded", "expected"),
    [
        # no proxy: the header is never read, whatever the client writes in it
        (0, "198.51.100.7", None, "198.51.100.7"),
        (0, "198.51.100.7", "1.2.3.4", "198.51.100.7"),
        # one proxy (nginx appends the address it saw): the last entry is the client
        (1, PROXY, "198.51.100.7", "198.51.100.7"),
        (1, PROXY, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (1, PROXY, "1.2.3.4,5.6.7.8 , 198.51.100.7", "198.51.100.7"),
        # two proxies: the second from the right
        (2, PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.3", "198.51.100.7"),
        # fewer hops than proxies (a direct connection): the connection address
        (1, "198.51.100.9", None, "198.51.100.9"),
        (2, PROXY, "198.51.100.7", PROXY),
        # garbage where the proxy's entry should be: the connection address
        (1, PROXY, "1.2.3.4, not-an-address", PROXY),
        # IPv6 is an address like any other
        (1, PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address_is_the_entry_written_by_the_outermost_trusted_proxy(
    settings, count, remote, forwarded, expected
):
    # given
    settings.TRUSTED_PROXY_COUNT = count
    # when
    address = client_address(_request(remote, forwarded))
    # then
    assert address == expected


def test_drf_throttles_read_the_same_address(settings):
    # given: DRF's NUM_PROXIES is set from TRUSTED_PROXY_COUNT in settings.py
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == settings.TRUSTED_PROXY_COUNT == 0
    throttle = SimpleRateThrottle.__new__(SimpleRateThrottle)
    # when
    ident = throttle.get_ident(_request("198.51.100.7", "1.2.3.4"))
    # then: a spoofed header does not become the identity
    assert ident == "198.51.100.7"


def _submit_body() -> dict:
    return {
        "category": "gaji-tidak-dibayar",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
        "origin_region": REGENCY_WITH_POST,
        "destination_country": "MY",
        "consent": True,
        "is_anonymous": True,
    }


@pytest.fixture
def two_submissions_per_client(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"complaint_submit": "2/10m"},
    }


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache", "two_submissions_per_client")
def test_behind_one_proxy_each_client_has_its_own_submit_limit(offices, settings):
    # given
    settings.TRUSTED_PROXY_COUNT = 1
    api = APIClient()

    def submit(client_ip: str, spoofed: str = "") -> int:
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        return api.post(
            "/api/v1/complaints/",
            _submit_body(),
            format="json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded,
        ).status_code

    # when: client A uses its allowance, then tries to escape it with its own header values
    first = [submit("198.51.100.1"), submit("198.51.100.1")]
    spoofing = [submit("198.51.100.1", spoofed=f"192.0.2.{n}") for n in range(1, 4)]
    other_client = submit("198.51.100.2")
    # then
    assert first == [201, 201]
    assert spoofing == [429, 429, 429]
    assert other_client == 201


@pytest.mark.django_db
@pytest.mark.usefixtures("clear_cache", "two_submissions_per_client")
def test_without_a_proxy_a_spoofed_forwarded_header_gains_nothing(offices, settings):
    # given
    settings.TRUSTED_PROXY_COUNT = 0
    api = APIClient()
    # when
    statuses = [
        api.post(
            "/api/v1/complaints/",
            _submit_body(),
            format="json",
            REMOTE_ADDR="198.51.100.1",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        ).status_code
        for n in range(1, 5)
    ]
    # then
    assert statuses == [201, 201, 429, 429]


@pytest.mark.django_db
def test_behind_the_proxy_a_password_guesser_locks_only_itself(officer_a, settings):  # noqa: F811
    # given: five wrong passwords for one username from one client behind the proxy
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(reverse("admin:login"), {"username": officer_a.username, "password": "x"})
    owner = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.5")
    # when
    locked = guesser.post(
        reverse("admin:login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    signed_in = owner.post(
        reverse("admin:login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    # then
    assert locked.status_code in (403, 429)
    assert signed_in.status_code == 302
    assert "_auth_user_id" in owner.session


@pytest.mark.django_db
def test_a_guesser_cannot_escape_the_lock_out_by_rotating_its_own_header(
    officer_a,  # noqa: F811
    settings,
):
    # given
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_ENABLED = True
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}, 203.0.113.66").post(
            reverse("admin:login"), {"username": officer_a.username, "password": "x"}
        )
    # when
    response = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.66").post(
        reverse("admin:login"), {"username": officer_a.username, "password": TEST_PASSWORD}
    )
    # then
    assert response.status_code in (403, 429)
