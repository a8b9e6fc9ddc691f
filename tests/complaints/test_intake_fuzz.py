"""Hypothesis drives the complaint form: whatever is typed, the answer is a receipt or field
errors, never a server error, and a refused form writes nothing."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaints.models import Complaint, Notification

pytestmark = [pytest.mark.django_db]

SUBMIT = reverse("complaints:submit")
# Any Unicode a phone keyboard can produce, including controls, RTL, emoji and surrogates' kin.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
choice_or_junk = lambda *values: st.one_of(st.sampled_from(values), any_text)  # noqa: E731

form_values = st.fixed_dictionaries(
    {
        "filer_relation": choice_or_junk("self", "family", "representative"),
        "category": choice_or_junk("gaji-tidak-dibayar", "tppo", "lainnya"),
        "in_danger": choice_or_junk("yes", "no"),
        "description": st.one_of(st.just("Gaji saya tidak dibayar selama tiga bulan."), any_text),
        "started_on": st.one_of(st.just(""), st.dates().map(str), any_text),
        "destination_country": choice_or_junk("MY", "TW", "ID", "XX"),
        "destination_city": any_text,
        "employer_name": any_text,
        "placement_agency_name": any_text,
        "origin_province": choice_or_junk("35", "32"),
        "origin_region": choice_or_junk("35.04", "35.15", "32.12"),
        "origin_village": any_text,
        "passport_number": any_text,
        "reporter_name": any_text,
        "phone": st.one_of(st.just("081234567890"), st.just("+60123456789"), any_text),
        "whatsapp": any_text,
        "email": st.one_of(st.just("a@example.com"), any_text),
        "preferred_channel": choice_or_junk("", "sms", "email", "whatsapp"),
        "safe_contact_time": any_text,
        "is_anonymous": st.sampled_from(["", "on"]),
        "consent": st.sampled_from(["", "on", "on"]),
    }
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(values=form_values)
def test_form_answers_any_input_with_a_receipt_or_field_errors(client, reference_data, values):
    # given
    cache.clear()
    page = client.get(SUBMIT).content.decode()
    token = re.search(r'name="submission_token" value="([^"]+)"', page).group(1)
    before = (Complaint.objects.count(), Notification.objects.count())
    # when
    response = client.post(SUBMIT, {**values, "submission_token": token})
    # then
    assert response.status_code in (201, 400)
    after = (Complaint.objects.count(), Notification.objects.count())
    if response.status_code == 400:
        assert after == before
        assert "invalid-feedback" in response.content.decode()
    else:
        assert after[0] == before[0] + 1
