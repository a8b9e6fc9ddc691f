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


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_whole_api_conforms_and_never_fails(case, staff_token, settings, keep_db_connection):
    # Cheap hashing keeps the examples fast; throttles would hide the handlers behind 429s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    headers = {"Authorization": f"Token {staff_token}"} if "/staff/" in case.path else {}
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS, headers=headers)
