import re

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent, Notification
from portal.models import Region
from tests.complaints.factories import (  # noqa: F401 (fixtures)
    REGENCY_WITH_POST,
    clear_cache,
    complaint_input,
)
from tests.education.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

SUBMIT = reverse("complaints:submit")
TRACK = reverse("complaints:track")


def _token(client) -> str:
    page = client.get(SUBMIT).content.decode()
    return re.search(r'name="submission_token" value="([^"]+)"', page).group(1)


def form_data(client, **overrides) -> dict:
    data = {
        "submission_token": _token(client),
        "filer_relation": "self",
        "category": "gaji-tidak-dibayar",
        "in_danger": "no",
        "description": "Gaji saya tidak dibayar selama tiga bulan oleh majikan.",
        "destination_country": "MY",
        "destination_city": "Kuala Lumpur",
        "employer_name": "Encik Ahmad",
        "origin_province": "35",
        "origin_region": REGENCY_WITH_POST,
        "reporter_name": "Siti Aminah",
        "phone": "0812 3456 7890",
        "email": "siti@example.com",
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def receipt_code(html: str, element_id: str) -> str:
    """The text of the reference or key on the receipt, as a reader sees it."""
    markup = re.search(rf'id="{element_id}">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", markup)


def field_block(html: str, field: str) -> str:
    """The markup crispy renders for one field (its label, input and error)."""
    start = html.index(f'id="div_id_{field}"')
    following = html.find('id="div_id_', start + 10)
    return html[start : following if following != -1 else len(html)]


def test_form_page_is_not_cached_and_has_a_quick_exit_and_the_crisis_number(client, settings):
    # when
    response = client.get(SUBMIT)
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'id="quick-exit"' in html
    assert settings.CRISIS_CENTER_PHONE in field_block(html, "in_danger")
    assert "Laporkan masalah" in html
    assert 'lang="id"' in html


def test_form_page_in_english(client):
    html = client.get(SUBMIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Report a problem" in html
    assert "Malaysia" in html


def test_form_lists_countries_with_indonesian_names_and_provinces_but_no_regency_yet(client):
    html = client.get(SUBMIT).content.decode()
    assert ">Arab Saudi<" in html
    assert '<option value="35">Jawa Timur</option>' in html
    assert 'value="35.04"' not in html


def test_valid_report_shows_the_receipt_once_and_stores_the_complaint(client):
    # when
    response = client.post(SUBMIT, form_data(client))
    # then
    html = response.content.decode()
    complaint = Complaint.objects.get()
    assert response.status_code == 201
    assert "no-store" in response["Cache-Control"]
    assert complaint.reference in html
    key = receipt_code(html, "receipt-key")
    assert key not in complaint.access_key_hash
    assert 'id="quick-exit"' in html
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
    assert Notification.objects.filter(complaint=complaint).count() == 1


def test_double_submit_of_the_same_form_gives_the_same_receipt(client):
    # given
    data = form_data(client)
    first = client.post(SUBMIT, data).content.decode()
    # when
    second = client.post(SUBMIT, data)
    # then
    html = second.content.decode()
    assert Complaint.objects.count() == 1
    assert receipt_code(first, "receipt-key") == receipt_code(html, "receipt-key")
    assert Complaint.objects.get().reference in html


def test_in_danger_shows_the_crisis_center_and_embassy_advice_on_the_receipt(client, settings):
    # when
    response = client.post(SUBMIT, form_data(client, in_danger="yes"))
    # then
    html = response.content.decode()
    assert Complaint.objects.get().is_urgent
    assert 'id="urgent-heading"' in html
    assert settings.CRISIS_CENTER_PHONE in html
    assert "KBRI/KJRI" in html


def test_anonymous_report_through_the_form_keeps_no_contact(client):
    # when
    client.post(SUBMIT, form_data(client, is_anonymous="on"))
    # then
    complaint = Complaint.objects.get()
    assert (complaint.reporter_name, complaint.reporter_phone, complaint.reporter_email) == (
        "",
        "",
        "",
    )


def test_receipt_offers_guides_for_the_category_and_country(client):
    # given
    ArticleFactory(
        title="Menagih gaji yang belum dibayar",
        related_category_slugs="gaji-tidak-dibayar",
        country="MY",
    )
    # when
    html = client.post(SUBMIT, form_data(client)).content.decode()
    # then
    assert "Menagih gaji yang belum dibayar" in html


LONG = "x" * 5001
BAD_INPUT = [
    ("category", "", "category"),
    ("category", "tidak-ada", "category"),
    ("category", "<script>", "category"),
    ("description", "", "description"),
    ("description", "pendek", "description"),
    ("description", LONG, "description"),
    ("description", "gaji\x00tidak dibayar sejak lama", "description"),
    ("description", "gaji tidak dibayar\x07 sejak lama", "description"),
    ("description", "gaji \u202etidak dibayar sejak lama", "description"),
    ("destination_country", "", "destination_country"),
    ("destination_country", "XX", "destination_country"),
    ("destination_country", "ID", "destination_country"),
    ("destination_country", "Malaysia", "destination_country"),
    ("origin_region", "", "origin_region"),
    ("origin_region", "99.99", "origin_region"),
    ("origin_region", "32.12", "origin_region"),  # a Jawa Barat regency under province 35
    ("origin_province", "", "origin_province"),
    ("origin_province", "99", "origin_province"),
    ("origin_village", "35.04.99.9999", "origin_village"),
    ("origin_village", "32.12.01.2001", "origin_village"),
    ("origin_village", "35.04.01.2001.1", "origin_village"),
    ("started_on", "kemarin", "started_on"),
    ("started_on", "2999-01-01", "started_on"),
    ("departure_date", "1900-01-01", "departure_date"),
    ("phone", "12345", "phone"),
    ("phone", "telepon saya", "phone"),
    ("phone", "\u0660\u0668\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668", "phone"),
    ("phone", "+" + "1" * 20, "phone"),
    ("whatsapp", "08", "whatsapp"),
    ("email", "bukan-email", "email"),
    ("email", "a@" + "b" * 260 + ".id", "email"),
    ("reporter_name", "n" * 121, "reporter_name"),
    ("reporter_name", "Siti\x00Aminah", "reporter_name"),
    ("employer_name", "e" * 201, "employer_name"),
    ("destination_city", "Kuala\x1bLumpur", "destination_city"),
    ("passport_number", "AB-12", "passport_number"),
    (
        "passport_number",
        "\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600\U0001f600",
        "passport_number",
    ),
    ("filer_relation", "boss", "filer_relation"),
    ("in_danger", "maybe", "in_danger"),
    ("preferred_channel", "pigeon", "preferred_channel"),
    ("consent", None, "consent"),
]


@pytest.mark.parametrize(("field", "value", "error_field"), BAD_INPUT)
def test_bad_input_is_refused_next_to_its_field_and_keeps_the_other_values(
    client, field, value, error_field
):
    # given
    data = form_data(client, **{field: value})
    if field == "preferred_channel":
        data["preferred_channel"] = value
    # when
    response = client.post(SUBMIT, data)
    # then
    html = response.content.decode()
    assert response.status_code == 400
    assert Complaint.objects.count() == 0
    assert Notification.objects.count() == 0
    assert "is-invalid" in field_block(html, error_field)
    assert "invalid-feedback" in field_block(html, error_field)
    assert 'value="Kuala Lumpur"' in html or field == "destination_city"
    assert "Encik Ahmad" in html or field == "employer_name"
    assert "Gaji saya tidak dibayar" in html or field == "description"


def test_preferred_channel_without_its_contact_is_refused(client):
    response = client.post(SUBMIT, form_data(client, preferred_channel="whatsapp", phone=""))
    assert "invalid-feedback" in field_block(response.content.decode(), "preferred_channel")
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Pilih kategori"),
        ("en", "Please choose a category"),
    ],
)
def test_errors_speak_the_language_of_the_page(client, language, message):
    data = form_data(client, category="tidak-ada")
    response = client.post(SUBMIT, data, HTTP_ACCEPT_LANGUAGE=language)
    assert message in field_block(response.content.decode(), "category")


def test_right_to_left_and_emoji_text_is_kept_as_written(client):
    # given
    employer = "\u0634\u0631\u0643\u0629 \u0627\u0644\u0646\u0648\u0631"  # an Arabic company name
    description = "Majikan memukul saya \U0001f622 dan menahan paspor."
    # when
    response = client.post(
        SUBMIT, form_data(client, employer_name=employer, description=description)
    )
    # then
    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert (complaint.employer_name, complaint.description) == (employer, description)


def test_village_code_of_the_chosen_regency_is_accepted(client):
    village = Region.objects.filter(level=4, code__startswith=REGENCY_WITH_POST + ".").first()
    response = client.post(SUBMIT, form_data(client, origin_village=village.code))
    assert response.status_code == 201
    assert Complaint.objects.get().origin_region_id == village.code


def test_a_forged_submission_token_gives_no_other_receipt(client):
    # given
    client.post(SUBMIT, form_data(client))
    first = Complaint.objects.get()
    # when: a token this server never signed
    response = client.post(SUBMIT, form_data(client, submission_token="forged"))
    # then
    assert response.status_code == 201
    assert first.reference not in response.content.decode()
    assert Complaint.objects.count() == 2


def test_submissions_from_one_client_are_rate_limited(client, settings):
    # given
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"complaint_submit": "2/10m"},
    }
    for _ in range(2):
        client.post(SUBMIT, form_data(client))
    # when
    response = client.post(SUBMIT, form_data(client))
    # then
    assert response.status_code == 429
    assert Complaint.objects.count() == 2
    assert int(response["Retry-After"]) > 0


# --- tracking ---------------------------------------------------------------------------------


def _submitted(client) -> tuple[str, str]:
    html = client.post(SUBMIT, form_data(client)).content.decode()
    reference = receipt_code(html, "receipt-reference")
    key = receipt_code(html, "receipt-key")
    return reference, key


def test_tracking_shows_status_and_public_timeline(client):
    # given
    reference, key = _submitted(client)
    # when
    response = client.post(TRACK, {"reference": reference, "access_key": key})
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'id="complaint-status"' in html
    assert reference in html
    assert 'id="quick-exit"' in html


def test_tracking_page_never_takes_reference_or_key_from_the_url(client):
    reference, key = _submitted(client)
    html = client.get(TRACK, {"reference": reference, "access_key": key}).content.decode()
    assert 'id="complaint-status"' not in html


def _normalised(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'value="PMI-[^"]*"', "", html)


def test_wrong_key_answers_exactly_like_unknown_reference(client):
    # given
    reference, _key = _submitted(client)
    # when
    wrong_key = client.post(TRACK, {"reference": reference, "access_key": "Z" * 20})
    unknown = client.post(TRACK, {"reference": "PMI-2222-3333", "access_key": "Z" * 20})
    # then
    assert wrong_key.status_code == unknown.status_code == 200
    assert _normalised(wrong_key.content.decode()) == _normalised(unknown.content.decode())
    assert 'id="complaint-status"' not in wrong_key.content.decode()


def test_wrong_keys_for_a_reference_from_other_addresses_never_refuse_the_right_key(
    client, settings
):
    # given
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "complaint_track": "100/10m",
            "complaint_track_reference": "3/15m",
        },
    }
    reference, key = _submitted(client)
    for index in range(5):
        client.post(
            TRACK,
            {"reference": reference, "access_key": "Z" * 20},
            REMOTE_ADDR=f"203.0.113.{index + 1}",
        )
    # when: the reporter, from their own connection
    response = client.post(
        TRACK, {"reference": reference, "access_key": key}, REMOTE_ADDR="192.0.2.7"
    )
    # then
    assert response.status_code == 200
    assert 'id="complaint-status"' in response.content.decode()


def test_tracking_attempts_are_limited_per_client_but_only_for_failures(client, settings):
    # given
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "complaint_track": "3/10m",
            "complaint_track_reference": "100/15m",
        },
    }
    reference, key = _submitted(client)
    for _ in range(5):  # successes do not count
        assert client.post(TRACK, {"reference": reference, "access_key": key}).status_code == 200
    for index in range(3):
        client.post(TRACK, {"reference": f"PMI-2222-333{index + 2}", "access_key": "Z" * 20})
    # when
    response = client.post(TRACK, {"reference": reference, "access_key": key})
    # then
    assert response.status_code == 429


def test_reporter_adds_a_message_from_the_tracking_page(client):
    # given
    reference, key = _submitted(client)
    # when
    response = client.post(
        TRACK, {"reference": reference, "access_key": key, "body": "Paspor saya masih ditahan."}
    )
    # then
    html = response.content.decode()
    assert response.status_code == 200
    assert "Paspor saya masih ditahan." in html
    assert ComplaintEvent.objects.filter(kind="reporter_message").count() == 1


def test_a_message_with_a_wrong_key_writes_nothing(client):
    reference, _key = _submitted(client)
    response = client.post(
        TRACK, {"reference": reference, "access_key": "Z" * 20, "body": "Pesan palsu"}
    )
    assert 'id="complaint-status"' not in response.content.decode()
    assert not ComplaintEvent.objects.filter(kind="reporter_message").exists()


def test_nothing_about_the_request_is_stored_or_logged(client, postgres, caplog):
    # given
    caplog.set_level("DEBUG")
    marker_ip = "203.0.113.77"
    marker_agent = "MarkerAgent/9.9 (intake-privacy-test)"
    data = form_data(client)
    # when
    client.post(SUBMIT, data, REMOTE_ADDR=marker_ip, HTTP_USER_AGENT=marker_agent)
    reference = Complaint.objects.get().reference
    client.post(
        TRACK,
        {"reference": reference, "access_key": "Z" * 20},
        REMOTE_ADDR=marker_ip,
        HTTP_USER_AGENT=marker_agent,
    )
    # then: no text column of any table holds the markers
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', "
            "'inet', 'json')"
        )
        columns = cursor.fetchall()
        hits = []
        for table, column in columns:
            cursor.execute(
                f'SELECT COUNT(*) FROM "{table}" WHERE "{column}"::text LIKE %s '  # noqa: S608
                f'OR "{column}"::text LIKE %s',
                [f"%{marker_ip}%", "%MarkerAgent%"],
            )
            if cursor.fetchone()[0]:
                hits.append((table, column))
    assert len(columns) > 50
    assert hits == []
    assert marker_ip not in caplog.text
    assert "MarkerAgent" not in caplog.text


def test_no_cookie_but_csrf_is_set_on_the_reporter_pages(client):
    # when
    form = client.get(SUBMIT)
    reference, key = _submitted(client)
    receipt_cookies = set(client.cookies)
    tracked = client.post(TRACK, {"reference": reference, "access_key": key})
    # then
    assert set(form.cookies) <= {"csrftoken"}
    assert set(tracked.cookies) <= {"csrftoken"}
    assert receipt_cookies <= {"csrftoken"}


def test_tracking_shows_public_wording_of_internal_events_but_never_their_body(client):
    # given
    reference, key = _submitted(client)
    complaint = Complaint.objects.get(reference=reference)
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind="escalation",
        level=1,
        visibility="internal",
        body="Officer Budi ignored this for a week",
        public_body="Laporan Anda diteruskan ke BP3MI Jawa Timur.",
    )
    ComplaintEvent.objects.create(
        complaint=complaint, kind="internal_note", body="Reporter sounds unreliable"
    )
    # when
    html = client.post(TRACK, {"reference": reference, "access_key": key}).content.decode()
    # then
    assert "Laporan Anda diteruskan ke BP3MI Jawa Timur." in html
    assert "Officer Budi" not in html
    assert "unreliable" not in html
