"""The public form is rendered once per language and kept; its reference data follows every edit.

The blank form's fields and the lists behind the form and the receipt (categories, countries,
regions, agencies, guide suggestions) live in the reference cache (portal.reference_cache);
these tests show what a reporter would notice: a fresh token on every page, the right language,
an edit visible on the next page, and a submit path that stays short.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Category, Complaint
from tests.complaints.factories import clear_cache  # noqa: F401 (fixtures)
from tests.complaints.test_intake_views import SUBMIT, form_data
from tests.education.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')


def test_every_form_page_carries_its_own_submission_token(client):
    # when
    pages = [client.get(SUBMIT).content.decode() for _ in range(3)]
    # then
    tokens = [TOKEN.search(page).group(1) for page in pages]
    assert len(set(tokens)) == 3
    assert all(page.count('name="submission_token"') == 1 for page in pages)


def test_each_kept_form_token_submits_its_own_report(client):
    # given two forms opened one after the other (both served from the kept rendering)
    first, second = form_data(client), form_data(client)
    # when
    answers = [client.post(SUBMIT, first), client.post(SUBMIT, second)]
    # then
    assert [answer.status_code for answer in answers] == [201, 201]
    assert Complaint.objects.count() == 2


def test_form_keeps_one_rendering_per_language(client):
    # given the Indonesian page was shown (and kept) first
    client.get(SUBMIT)
    # when
    english = client.get(SUBMIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    indonesian = client.get(SUBMIT).content.decode()
    # then
    assert "Choose a category" in english
    assert "Choose a category" not in indonesian
    assert ">Arab Saudi<" in indonesian
    assert ">Saudi Arabia<" in english


def test_the_same_markup_as_a_form_rendered_field_by_field(client):
    # given the page of a form the view renders with crispy (a bound form with an error)
    from django.template.loader import render_to_string

    from complaints.forms import ComplaintForm, complaint_form_blank_html

    html = client.get(SUBMIT).content.decode()
    token = TOKEN.search(html).group(1)
    # when
    fresh = render_to_string(
        "complaints/_complaint_form_fields.html",
        {"form": ComplaintForm(initial={"submission_token": token})},
    )
    # then
    assert complaint_form_blank_html(token=token) == fresh
    assert fresh in html


def test_warm_form_page_reads_nothing_from_the_database(client):
    # given
    client.get(SUBMIT)
    # when
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SUBMIT)
    # then
    assert response.status_code == 200
    assert len(queries) == 0


def test_a_new_category_shows_on_the_next_form_page_and_can_be_chosen(client):
    # given the form was shown (and kept) before the category existed
    client.get(SUBMIT)
    Category.objects.create(
        slug="uji-baru", name_id="Kategori uji baru", name_en="New test category"
    )
    # when
    html = client.get(SUBMIT).content.decode()
    answer = client.post(SUBMIT, form_data(client, category="uji-baru"))
    # then
    assert ">Kategori uji baru<" in html
    assert answer.status_code == 201
    assert Complaint.objects.get().category.slug == "uji-baru"


def test_a_deactivated_category_leaves_the_form_and_is_refused(client):
    # given the form and a report were served with the category active
    client.post(SUBMIT, form_data(client))
    category = Category.objects.get(slug="gaji-tidak-dibayar")
    category.is_active = False
    category.save()
    # when
    html = client.get(SUBMIT).content.decode()
    answer = client.post(SUBMIT, form_data(client))
    # then
    assert 'value="gaji-tidak-dibayar"' not in html
    assert answer.status_code == 400
    assert Complaint.objects.count() == 1


def test_a_guide_published_after_a_receipt_is_offered_on_the_next_one(client):
    # given a receipt was shown with no guide for the category
    first = client.post(SUBMIT, form_data(client)).content.decode()
    # when
    ArticleFactory(
        title="Menagih gaji yang belum dibayar",
        related_category_slugs="gaji-tidak-dibayar",
        country="MY",
    )
    second = client.post(SUBMIT, form_data(client)).content.decode()
    # then
    assert "Menagih gaji yang belum dibayar" not in first
    assert "Menagih gaji yang belum dibayar" in second


def test_a_warm_submit_takes_at_most_twelve_statements_with_its_transaction(client):
    # given one report already sent (the worker's caches filled)
    client.post(SUBMIT, form_data(client))
    data = form_data(client)
    # when
    with CaptureQueriesContext(connection) as queries:
        answer = client.post(SUBMIT, data)
    # then (inside the test's transaction the submit's own one shows as a savepoint pair)
    assert answer.status_code == 201
    assert len(queries) <= 12, "\n".join(q["sql"][:120] for q in queries.captured_queries)
