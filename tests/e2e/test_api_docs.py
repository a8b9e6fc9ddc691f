"""/api/docs/ ("API terbuka" in every footer) renders under the portal's CSP in Chromium."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_api_docs_list_the_operations_without_csp_violations(page, live_server, reference_data):
    # given: the browser reports every CSP violation on the console
    violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and violations.append(message.text)
        ),
    )
    # when
    response = page.goto(live_server.url + "/api/docs/")
    # then: the page is under the strict policy, and Swagger UI drew the operations
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    operation = page.locator(".opblock-summary-path", has_text="/api/v1/complaints/track/")
    expect(operation.first).to_be_visible(timeout=30_000)
    assert page.locator(".opblock").count() >= 10
    assert violations == []
