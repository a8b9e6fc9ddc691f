"""Issue 9: schemathesis over the whole OpenAPI schema, public and staff endpoints (authenticated),
in-process. 0 server errors, and every response conforms to what the schema documents.

`make test` runs a modest number of examples per operation; `make fuzz` sets FUZZ_EXAMPLES higher.
"""

import os

import pytest
import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from portal.wsgi import application
from tests.complaints.factories import ComplaintFactory
from tests.support import staff_api_token

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)


@pytest.fixture
def staff_token(make_staff) -> str:
    user = make_staff("kemenp2mi", "ministry_analyst")
    return staff_api_token(user)


@pytest.fixture
def seeded_reference(offices) -> str:
    """Complaints whose nullable fields are null (unassigned, not a duplicate, no deadline
    met yet), so that every staff response carries the nulls the schema must declare."""
    from tests.complaints.triage_support import TRIAGE_DEFAULTS, category_ensure

    category = category_ensure()
    complaints = [
        ComplaintFactory(office=offices[code], category=category, assignee=None, **TRIAGE_DEFAULTS)
        for code in ("bp3mi-jatim", "bp3mi-jabar", "kemenp2mi")
    ]
    assert all(c.assignee_id is None and c.duplicate_of_id is None for c in complaints)
    return complaints[0].reference


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_whole_api_conforms_and_never_fails(
    case, staff_token, seeded_reference, settings, keep_db_connection
):
    # Throttles would hide the handlers behind 429s.
    cache.clear()
    headers = {"Authorization": f"Token {staff_token}"} if "/staff/" in case.path else {}
    if "reference" in (case.path_parameters or {}):
        # A real complaint with null fields, not a random reference that can only be 404.
        case.path_parameters["reference"] = seeded_reference
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)


STAFF_CALLS = [
    ("/api/v1/staff/complaints/", "GET", None),
    ("/api/v1/staff/complaints/{reference}/", "GET", None),
    ("/api/v1/staff/complaints/{reference}/assign/", "POST", {"assignee": None}),
    ("/api/v1/staff/complaints/{reference}/note/", "POST", {"body": "Dicek lewat telepon."}),
    ("/api/v1/staff/complaints/{reference}/reply/", "POST", {"body": "Kami sedang memeriksa."}),
    ("/api/v1/staff/complaints/{reference}/status/", "POST", {"status": "verified"}),
]


@pytest.mark.parametrize(("path", "method", "body"), STAFF_CALLS)
def test_staff_responses_with_null_assignee_and_duplicate_match_the_schema(
    path, method, body, staff_token, seeded_reference, keep_db_connection
):
    # given: an unassigned complaint that is nobody's duplicate
    operation = schema[path][method]
    parameters = {"reference": seeded_reference} if "{reference}" in path else None
    case = operation.Case(path_parameters=parameters, body=body, media_type="application/json")
    headers = {"Authorization": f"Token {staff_token}"}
    # when
    response = case.call(headers=headers)
    # then
    assert response.status_code < 300, response.text
    case.validate_response(response, checks=CHECKS, headers=headers)
