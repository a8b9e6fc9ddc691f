"""The intake channel on the oversight dashboard: complaints by channel and time to first response
by channel, in every scope, with filters, as CSV, in Indonesian and English.

Every expected figure is computed here from the complaints this test creates (the channel, the
hours to the first response or, without one, to the resolution), never read back from the code
under test."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints.choices import Status
from oversight.dashboards.models import ChannelDurationSnapshot
from oversight.dashboards.services import dashboard_summary_refresh
from tests.complaints.factories import CategoryFactory
from tests.oversight.dashboard_support import Spec, complaints_create, local_date

pytestmark = pytest.mark.django_db

# The office each complaint belongs to, and the origin region its office covers.
OFFICES = {"bp3mi-jatim": "35.04", "p4mi-tulungagung": "35.04", "bp3mi-jabar": "32.01"}
CHANNELS = ["walk_in", "phone", "whatsapp", "referral", "web", "email"]
# The channels' names as a reader sees them (written here, not read from the choices).
LABELS = {
    "en": {
        "web": "Web form",
        "walk_in": "Walk-in at the office",
        "phone": "Telephone / hotline",
        "whatsapp": "WhatsApp",
        "referral": "Referral from another body",
        "email": "E-mail",
    },
    "id": {
        "web": "Formulir web",
        "walk_in": "Datang langsung ke kantor",
        "phone": "Telepon / hotline",
        "whatsapp": "WhatsApp",
        "referral": "Rujukan dari lembaga lain",
    },
}


def _percentile(values: list[float], fraction: float) -> float:
    """Linear interpolation between the closest ranks (the definition the dashboard states)."""
    if len(values) == 1:
        return values[0]
    if fraction == 0.5:
        return statistics.median(values)
    return statistics.quantiles(values, n=10, method="inclusive")[8]


def _specs() -> list[Spec]:
    """Forty complaints over three offices and six channels: some answered, some resolved
    without a first response, some neither; received over the last three weeks."""
    codes = list(OFFICES)
    specs = []
    for i in range(40):
        office = codes[i % 3]
        channel = CHANNELS[(i * 7 + i // 3) % len(CHANNELS)]
        respond = None if i % 6 == 0 else (i * 13) % 47 + 1
        resolve = (respond or 5) + 20 if i % 4 == 0 else None
        specs.append(
            Spec(
                office,
                "dash-channel",
                "MY" if i % 2 else "SA",
                OFFICES[office],
                Status.RESOLVED if resolve is not None else Status.IN_PROGRESS,
                False,
                24 * (i % 21) + 2,
                respond_after=respond,
                resolve_after=resolve,
                channel=channel,
            )
        )
    return specs


@pytest.fixture
def world(offices):
    category = CategoryFactory(slug="dash-channel")
    now = timezone.now()
    specs = _specs()
    complaints = complaints_create(
        specs, offices=offices, categories={category.slug: category}, now=now
    )
    dashboard_summary_refresh()
    rows = [
        {
            "office": spec.office_code,
            "channel": spec.channel,
            "country": spec.country,
            "day": local_date(complaint.created_at),
            # The first response, or the resolution when there was none before it.
            "response": spec.respond_after
            if spec.respond_after is not None
            else spec.resolve_after,
            "resolution": spec.resolve_after,
        }
        for spec, complaint in zip(specs, complaints, strict=True)
    ]
    return {"rows": rows, "offices": offices, "category": category}


def _expected(rows, lang="en"):
    counts = Counter(row["channel"] for row in rows)
    # largest first; ties in the order of the channels' codes
    by_channel = [
        [LABELS[lang][channel], count]
        for channel, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    responses: dict[str, list[float]] = {}
    for row in rows:
        if row["response"] is not None:
            responses.setdefault(row["channel"], []).append(float(row["response"]))
    response = {
        LABELS[lang][channel]: (
            len(values),
            _percentile(sorted(values), 0.5),
            _percentile(sorted(values), 0.9),
        )
        for channel, values in responses.items()
    }
    return by_channel, response


def _csv(client, slug, params=None, lang="en"):
    response = client.get(
        reverse("oversight:dashboard_csv", args=[slug]), params or {}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def _assert_channel_figures(client, rows, params=None, lang="en"):
    by_channel, response = _expected(rows, lang)
    counted = _csv(client, "by_channel", params, lang)
    assert [[label, int(count)] for label, count in counted[1:]] == by_channel
    timed = _csv(client, "response_by_channel", params, lang)
    got = {label: (int(n), float(median), float(p90)) for label, n, median, p90 in timed[1:]}
    assert set(got) == set(response)
    for label, (n, median, p90) in response.items():
        assert got[label][0] == n, label
        assert got[label][1] == pytest.approx(median, abs=1e-3), label
        assert got[label][2] == pytest.approx(p90, abs=1e-3), label
    # most complaints responded to first
    assert [int(n) for _label, n, _m, _p in timed[1:]] == sorted(
        (n for n, _m, _p in response.values()), reverse=True
    )
    return counted, timed


def test_national_default_view_counts_and_times_every_channel(client, make_staff, world):
    # given the minister and the default view (read from the refresh's snapshot)
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    assert ChannelDurationSnapshot.objects.filter(offices="").exists()
    # when / then: in English
    counted, timed = _assert_channel_figures(client, world["rows"])
    assert counted[0] == ["Channel", "Complaints"]
    assert timed[0] == [
        "Channel",
        "Complaints responded to",
        "Median hours to first response",
        "90th percentile hours to first response",
    ]
    # and in Indonesian, the same figures
    counted_id = _csv(client, "by_channel", lang="id")
    assert counted_id[0] == ["Saluran", "Pengaduan"]
    assert dict(counted_id[1:])["Datang langsung ke kantor"] == str(
        sum(row["channel"] == "walk_in" for row in world["rows"])
    )
    timed_id = _csv(client, "response_by_channel", lang="id")
    assert timed_id[0][1] == "Pengaduan yang sudah ditanggapi"


def test_the_page_shows_both_tables_with_their_csv_links(client, make_staff, world):
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    response = client.get(reverse("oversight:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert 'id="by_channel"' in html
    assert 'id="response_by_channel"' in html
    assert reverse("oversight:dashboard_csv", args=["by_channel"]) in html
    assert reverse("oversight:dashboard_csv", args=["response_by_channel"]) in html
    assert "Time to first response by channel" in html
    page_id = client.get(reverse("oversight:dashboard"), HTTP_ACCEPT_LANGUAGE="id")
    assert "Waktu sampai tanggapan pertama menurut saluran" in page_id.content.decode()


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        # a province: the ledger and the durations sorted live
        ({"province": "35"}, lambda row: OFFICES[row["office"]].startswith("35.")),
        # a destination country
        ({"country": "MY"}, lambda row: row["country"] == "MY"),
        # one channel
        ({"channel": "whatsapp"}, lambda row: row["channel"] == "whatsapp"),
    ],
)
def test_national_view_with_a_filter(client, make_staff, world, params, keep):
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    _assert_channel_figures(client, [row for row in world["rows"] if keep(row)], params)


def test_per_office_times_under_a_channel_filter_come_from_the_snapshot(client, make_staff, world):
    # given the minister, the default window and one channel
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    channel = "whatsapp"
    rows = [row for row in world["rows"] if row["channel"] == channel]
    expected = {}
    for code in OFFICES:
        mine = [row for row in rows if row["office"] == code]
        responses = sorted(float(row["response"]) for row in mine if row["response"] is not None)
        resolutions = sorted(
            float(row["resolution"]) for row in mine if row["resolution"] is not None
        )
        if responses:
            expected[world["offices"][code].name] = [
                _percentile(responses, 0.5),
                _percentile(responses, 0.9),
                _percentile(resolutions, 0.5) if resolutions else None,
                _percentile(resolutions, 0.9) if resolutions else None,
            ]
    assert expected
    # when the per-office table is read as CSV
    with CaptureQueriesContext(connection) as queries:
        table = _csv(client, "sla", {"channel": channel})
    # then each office's median and p90 hours are those of its WhatsApp complaints
    got = {
        row[0]: [float(value) if value else None for value in row[11:15]]
        for row in table[1:]
        if row[11]
    }
    assert set(got) == set(expected)
    for office, values in expected.items():
        assert got[office] == [
            pytest.approx(v, abs=1e-3) if v is not None else None for v in values
        ]
    # and read from the refresh's per-channel snapshot: no duration was sorted for this view
    assert not [q for q in queries if "portal_complaintduration" in q["sql"]]


def test_another_date_range_sorts_the_durations_of_that_range(client, make_staff, world):
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    today = timezone.localdate()
    first = today - timedelta(days=7)
    params = {"date_from": first.isoformat(), "date_to": today.isoformat()}
    rows = [row for row in world["rows"] if first <= row["day"] <= today]
    assert 0 < len(rows) < len(world["rows"])
    _assert_channel_figures(client, rows, params)


def test_head_of_office_sees_their_offices_only(client, make_staff, world):
    # given the head of BP3MI Jawa Timur (their office and the Tulungagung post below it)
    client.force_login(make_staff("bp3mi-jatim", "head"))
    mine = [row for row in world["rows"] if row["office"] in {"bp3mi-jatim", "p4mi-tulungagung"}]
    # (their default view is kept by the refresh for the office and the posts below it)
    jatim = world["offices"]["bp3mi-jatim"]
    posts = [office.pk for office in world["offices"].values() if office.parent_id == jatim.pk]
    key = ",".join(str(pk) for pk in sorted([jatim.pk, *posts]))
    assert ChannelDurationSnapshot.objects.filter(offices=key).exists()
    # when / then: their complaints only, in every view
    _assert_channel_figures(client, mine)
    _assert_channel_figures(
        client,
        [row for row in mine if row["office"] == "p4mi-tulungagung"],
        {"office": world["offices"]["p4mi-tulungagung"].pk},
    )
    _assert_channel_figures(
        client, [row for row in mine if row["country"] == "SA"], {"country": "SA"}
    )


def test_head_of_a_single_post_reads_the_snapshot_of_that_post(client, make_staff, world):
    client.force_login(make_staff("p4mi-tulungagung", "head"))
    post = world["offices"]["p4mi-tulungagung"]
    assert ChannelDurationSnapshot.objects.filter(offices=str(post.pk)).exists()
    _assert_channel_figures(
        client, [row for row in world["rows"] if row["office"] == "p4mi-tulungagung"]
    )


def test_head_of_another_office_sees_none_of_these_channels(client, make_staff, world):
    # given the head of Jawa Barat asking for a Jawa Timur province filter
    client.force_login(make_staff("bp3mi-jabar", "head"))
    # when / then: none of Jawa Timur's complaints, timed or counted
    assert _csv(client, "by_channel", {"province": "35"}) == [["Channel", "Complaints"]]
    assert len(_csv(client, "response_by_channel", {"province": "35"})) == 1
    # and their own view holds their office's complaints only
    _assert_channel_figures(
        client, [row for row in world["rows"] if row["office"] == "bp3mi-jabar"]
    )


def test_content_editor_and_officer_read_no_channel_figure(client, make_staff, world):
    for office, role in (("kemenp2mi", "content_editor"), ("bp3mi-jatim", "officer")):
        client.force_login(make_staff(office, role))
        for slug in ("by_channel", "response_by_channel"):
            assert client.get(reverse("oversight:dashboard_csv", args=[slug])).status_code == 403


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "Unknown channel."), ("id", "Saluran tidak dikenal.")]
)
def test_an_unknown_channel_gives_a_message_and_the_default_view(
    client, make_staff, world, lang, message
):
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    response = client.get(
        reverse("oversight:dashboard"), {"channel": "fax"}, HTTP_ACCEPT_LANGUAGE=lang
    )
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any(message in text for text in texts)
    assert response.context["filters"].channel == ""
    assert response.context["totals"]["complaints"] == len(world["rows"])


def test_a_channel_row_drills_down_to_its_complaints(client, make_staff, world):
    client.force_login(make_staff("kemenp2mi", "ministry_analyst"))
    page = client.get(reverse("oversight:dashboard"), HTTP_ACCEPT_LANGUAGE="en")
    table = page.context["tables"]["by_channel"]
    link = dict(zip([row[0] for row in table.rows], table.links, strict=True))[
        LABELS["en"]["phone"]
    ]
    assert "channel=phone" in link
    listed = client.get(link)
    assert len(listed.context["complaints"]) == sum(
        row["channel"] == "phone" for row in world["rows"]
    )
    assert {c.channel for c in listed.context["complaints"]} == {"phone"}
