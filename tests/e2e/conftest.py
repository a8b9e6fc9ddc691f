import pytest
from axe_playwright_python.sync_playwright import Axe

# WCAG 2.1 A and AA rules: best-practice rules are advice, not failures.
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    def _check(page) -> None:
        results = axe.run(page, options=AXE_OPTIONS)
        violations = [
            (violation["id"], [node["target"] for node in violation["nodes"]][:3])
            for violation in results.response["violations"]
        ]
        assert violations == [], f"axe-core violations on {page.url}: {violations}"

    return _check


@pytest.fixture
def page_in(browser, live_server):
    """page_in("en") → a new page whose browser asks for that language first."""
    contexts = []

    def _open(language: str = "id", **context_args):
        context = browser.new_context(
            locale="en-US" if language == "en" else "id-ID",
            extra_http_headers={"Accept-Language": language},
            **context_args,
        )
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()
