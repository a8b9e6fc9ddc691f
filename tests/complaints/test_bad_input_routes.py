"""Crafted input never gives a 500 (issue 15, items 8, 9 and 11), on every API route, staff page
and filterable list of the whole portal (kept here for the complaints fixtures), found by walking
the URL configuration so that a new route is covered too:
NUL characters answer 400, JSON nested 5,000 deep answers 400, form-encoded bodies answer 415,
and API answers that are not public reference data are never stored by caches."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    clear_cache,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture(autouse=True)
def _category(request):
    """The category these tests submit under: a transactional test elsewhere may have flushed the
    taxonomy that a data migration loads."""
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        from tests.complaints.triage_support import category_ensure

        category_ensure()


DEEP = "[" * 5000 + "]" * 5000
DEEP_OBJECT = '{"a":' * 5000 + "1" + "}" * 5000


def _walk(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        segment = str(pattern.pattern).removeprefix("^").removesuffix("$").replace("\\Z", "")
        route = prefix + segment
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def _path(route: str, argument: str) -> str:
    """A concrete path for a route: each <converter:name> (or regex group) replaced."""
    import re

    path = re.sub(r"<[^>]+>", argument, route)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", argument, path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\.", ".")
    path = re.sub(r"\.\(\?P<format>[^)]*\)/?", "", path)
    return "/" + path


def _filter_names(view_class) -> list[str]:
    # Function views (the dashboards) declare no filter set: the filters they read.
    names = {"q", "search", "page", "ordering", "party", "office", "province", "status"}
    filterset = getattr(view_class, "filterset_class", None)
    if filterset is not None:
        names |= set(filterset.base_filters)
    names |= set(getattr(view_class, "filterset_fields", None) or [])
    names |= set((getattr(view_class, "search_fields", None) and ["search"]) or [])
    return sorted(names)


def _routes(prefixes: tuple[str, ...]) -> list[tuple[str, object]]:
    found = {}
    for route, pattern in _walk(get_resolver()):
        if route.startswith(prefixes) and "(?P<format>" not in route:
            view_class = getattr(pattern.callback, "cls", None) or getattr(
                pattern.callback, "view_class", None
            )
            found[route] = view_class
    return sorted(found.items())


API_ROUTES = _routes(("api/v1/",))
STAFF_PAGE_ROUTES = _routes(("dashboard/", "staf/"))
ALL_ROUTES = API_ROUTES + STAFF_PAGE_ROUTES

NUL_CASES = [
    (f"{_path(route, 'x')}?{name}=%00", route)
    for route, view_class in ALL_ROUTES
    for name in _filter_names(view_class)
] + [(_path(route, "%00"), route) for route, _view in ALL_ROUTES if "<" in route]


def test_the_walk_finds_the_routes_the_issue_names():
    routes = [route for route, _view in ALL_ROUTES]
    assert "api/v1/complaints/" in routes
    assert "api/v1/outreach/" in routes
    assert any(route.startswith("api/v1/staff/complaints") for route in routes)
    assert "dashboard/complaints/" in routes
    assert any(case == "/api/v1/outreach/?province=%00" for case, _route in NUL_CASES)
    assert any(case == "/dashboard/complaints/?party=%00" for case, _route in NUL_CASES)


@pytest.mark.parametrize(("url", "route"), NUL_CASES, ids=[case for case, _r in NUL_CASES])
def test_a_nul_character_in_a_query_or_path_answers_400(client, analyst, url, route):
    # given: signed in as the ministry, so that staff routes reach their filters
    client.force_login(analyst)
    # when
    response = client.get(url)
    # then
    assert response.status_code == 400
    if route.startswith("api/"):
        assert response.json()["detail"]


def test_a_nul_character_in_a_form_field_is_a_form_error_that_keeps_the_page(client):
    # when
    response = client.post(
        "/pengaduan/lacak/", {"reference": "PMI-2222-\x003333", "access_key": "ZZZZ"}
    )
    # then: the tracking form again, with an error, not a server error or a bare 400
    assert response.status_code < 500
    assert 'name="reference"' in response.content.decode()


POST_ROUTES = [
    (route, view_class)
    for route, view_class in API_ROUTES
    if (view_class is not None and hasattr(view_class, "post")) or hasattr(view_class, "create")
]
# Routes that take a JSON body from these callers and so must parse it (others may refuse the
# caller first: a bad webhook signature is 403 before any body is read).
MUST_PARSE = {
    "api/v1/complaints/",
    "api/v1/complaints/track/",
    "api/v1/complaints/messages/",
}


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["arrays", "objects"])
@pytest.mark.parametrize(("route", "view_class"), POST_ROUTES, ids=[r for r, _v in POST_ROUTES])
def test_json_nested_5000_deep_never_gives_a_server_error(
    analyst, complaint_in, route, view_class, body
):
    # given
    complaint = complaint_in(assignee=None)
    api = APIClient()
    if not route.startswith(("api/v1/complaints", "api/v1/complaint-")):
        api.force_authenticate(analyst)
    # when
    response = api.post(_path(route, complaint.reference), body, content_type="application/json")
    # then
    assert response.status_code < 500
    if route in MUST_PARSE or response.status_code not in (401, 403, 404, 405):
        assert response.status_code == 400, response.content


def test_the_public_submit_refuses_deep_json_with_a_message():
    response = APIClient().post("/api/v1/complaints/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "nested" in json.dumps(response.json()) or response.json()["detail"]


FORM_BODY = {
    "category": "gaji-tidak-dibayar",
    "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
    "origin_region": REGENCY_WITH_POST,
    "destination_country": "MY",
    "consent": "true",
}


@pytest.mark.parametrize(
    "path",
    ["/api/v1/complaints/", "/api/v1/complaints/track/", "/api/v1/complaints/messages/"],
)
@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_the_public_api_refuses_bodies_a_foreign_site_can_make_a_browser_send(
    offices, path, encoding
):
    # given: what a <form method=post action=...> on any site sends
    from django.test import Client
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    client = Client(enforce_csrf_checks=True)
    if encoding == "urlencoded":
        from urllib.parse import urlencode

        body, content_type = urlencode(FORM_BODY), "application/x-www-form-urlencoded"
    else:
        body = encode_multipart("BoUnDaRy", FORM_BODY)
        content_type = MULTIPART_CONTENT.replace("BoUnDaRyStRiNg", "BoUnDaRy")
    # when
    response = client.post(path, body, content_type=content_type)
    # then
    assert response.status_code == 415
    from complaints.models import Complaint

    assert Complaint.objects.count() == 0


def test_the_schema_declares_json_only_for_the_public_api():
    schema = APIClient().get("/api/schema/?format=json").json()
    submit = schema["paths"]["/api/v1/complaints/"]["post"]["requestBody"]["content"]
    assert set(submit) == {"application/json"}


# --- caching (item 9) -------------------------------------------------------------------------


def test_a_receipt_tracking_and_staff_answers_are_never_stored(offices, analyst, complaint_in):
    # given
    api = APIClient()
    receipt_response = api.post(
        "/api/v1/complaints/",
        {**FORM_BODY, "consent": True, "is_anonymous": True},
        format="json",
    )
    receipt = receipt_response.json()
    track = api.post("/api/v1/complaints/track/", receipt, format="json")
    wrong = api.post(
        "/api/v1/complaints/track/", {**receipt, "access_key": "ZZZZ-ZZZZ"}, format="json"
    )
    staff = APIClient()
    staff.force_authenticate(analyst)
    listing = staff.get("/api/v1/staff/complaints/")
    detail = staff.get(f"/api/v1/staff/complaints/{receipt['reference']}/")
    # then
    for response in (receipt_response, track, wrong, listing, detail):
        assert response.status_code < 500
        assert response["Cache-Control"] == "no-store"


def test_public_reference_data_may_be_cached():
    response = APIClient().get("/api/v1/complaint-categories/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_csrf_cookie_ends_with_the_browser_session(client, settings):
    # given
    assert settings.CSRF_COOKIE_AGE is None
    # when: a page with a form sets the cookie
    response = client.get("/pengaduan/lacak/")
    # then
    cookie = response.cookies.get(settings.CSRF_COOKIE_NAME)
    assert cookie is not None
    assert not cookie["max-age"]
    assert not cookie["expires"]
