import pytest

from education.choices import ContentStatus
from education.services import article_search_index_refresh
from tests.education.factories import ArticleFactory, TopicFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_starter_content")]
URL = "/api/v1/education/articles/"


@pytest.fixture
def guides():
    topic = TopicFactory(slug="api-topik")
    other = TopicFactory(slug="api-lain")
    return {
        "my": ArticleFactory(topic=topic, slug="api-my", country="MY", stage="abroad"),
        "en": ArticleFactory(topic=topic, slug="api-en", language="en", stage="before"),
        "other": ArticleFactory(topic=other, slug="api-other", stage="returning"),
        "draft": ArticleFactory(topic=topic, slug="api-draft", status=ContentStatus.DRAFT),
    }


def _slugs(response) -> set[str]:
    return {row["slug"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"topic": "api-topik"}, {"api-my", "api-en"}),
        ({"topic": "api-topik", "stage": "abroad"}, {"api-my"}),
        ({"topic": "api-topik", "country": "my"}, {"api-my"}),
        ({"topic": "api-topik", "language": "en"}, {"api-en"}),
        ({"topic": "api-lain"}, {"api-other"}),
    ],
)
def test_list_filters(client, guides, query, expected):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert _slugs(response) == expected


def test_list_is_paginated_and_published_only(client, guides):
    response = client.get(URL, {"page_size": 1})
    body = response.json()
    assert {"count", "next", "previous", "results"} <= set(body)
    assert "api-draft" not in {
        row["slug"] for row in client.get(URL, {"topic": "api-topik"}).json()["results"]
    }


def test_detail_has_sanitised_body_and_draft_is_404(client, guides):
    detail = client.get(f"{URL}api-my/")
    assert detail.status_code == 200
    assert "<h2" in detail.json()["body_html"]
    assert client.get(f"{URL}api-draft/").status_code == 404


def test_bad_filter_is_400(client, guides):
    assert client.get(URL, {"stage": "moon"}).status_code == 400


def test_search_filter(client, guides, postgres):
    guides["my"].title = "Upah di negeri jiran"
    guides["my"].save(update_fields=["title"])
    article_search_index_refresh()
    assert "api-my" in _slugs(client.get(URL, {"search": "upah", "language": "id"}))


def test_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert "/api/v1/education/articles/" in schema["paths"]
    assert "/api/v1/education/articles/{slug}/" in schema["paths"]
    names = {p["name"] for p in schema["paths"]["/api/v1/education/articles/"]["get"]["parameters"]}
    assert {"topic", "stage", "country", "language", "search", "page"} <= names
