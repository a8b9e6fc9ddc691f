import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from desa_migran import services
from desa_migran.choices import Criterion, VillageStatus
from desa_migran.models import VillageIndicator, VillageStatusChange
from portal.exceptions import ApplicationError
from tests.desa_migran.factories import VillageFactory, village_region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock_after_the_assessments():
    """The assessments here are dated 1 June 2025 and may not lie in the future: the clock
    stands in September 2025 (the suite's random date could fall before June 2025)."""
    with time_machine.travel(datetime.datetime(2025, 9, 1, 3, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def english():
    # Messages are checked in English; Indonesian is the default language.
    with translation.override("en"):
        yield


ALL_MET = dict.fromkeys(Criterion.values, (2, "Dilihat saat kunjungan."))
HALF_MET = dict.fromkeys(Criterion.values, (1, ""))


@pytest.fixture
def jatim_officer(make_staff):
    return make_staff("bp3mi-jatim", "officer")


@pytest.fixture
def jatim_head(make_staff):
    return make_staff("bp3mi-jatim", "head")


@pytest.fixture
def ministry(make_staff):
    return make_staff("kemenp2mi", "ministry_analyst")


# --- create -----------------------------------------------------------------------------------


def test_officer_registers_a_village_of_their_province_as_candidate(jatim_officer):
    # given
    region = village_region("35.04")
    # when
    village = services.village_create(
        region_code=region.code,
        actor=jatim_officer,
        latitude=Decimal("-8.05"),
        longitude=Decimal("111.9"),
    )
    # then
    assert village.status == VillageStatus.CANDIDATE
    assert (village.province_id, village.regency_id) == ("35", "35.04")
    change = VillageStatusChange.objects.get(village=village)
    assert (change.from_status, change.to_status, change.actor) == ("", "candidate", jatim_officer)
    assert village.history.count() == 1


@pytest.mark.parametrize(
    ("code", "field", "message"),
    [
        ("35.04", "region", "is not a village code"),
        ("35.04.08", "region", "is not a village code"),
        ("99.99.99.9999", "region", "is not a Kemendagri region code"),
    ],
)
def test_create_rejects_codes_that_are_not_villages(ministry, code, field, message):
    # when / then
    with pytest.raises(ValidationError) as error:
        services.village_create(region_code=code, actor=ministry)
    assert message in " ".join(error.value.message_dict[field])


def test_create_rejects_a_second_profile_for_the_same_village(ministry):
    # given
    region = village_region("35.04")
    services.village_create(region_code=region.code, actor=ministry)
    # when / then
    with pytest.raises(ValidationError) as error:
        services.village_create(region_code=region.code, actor=ministry)
    assert "already has a Desa Migran Emas profile" in error.value.message_dict["region"][0]


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("8.05", "111.9", "latitude"),  # sign lost: north of Indonesia
        ("-8.05", "-111.9", "longitude"),
        ("111.9", "-8.05", "latitude"),  # swapped
        ("-8.05", None, "latitude"),
    ],
)
def test_create_rejects_coordinates_outside_indonesia(ministry, latitude, longitude, field):
    # when / then
    with pytest.raises(ValidationError) as error:
        services.village_create(
            region_code=village_region("35.04").code,
            actor=ministry,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude) if longitude else None,
        )
    assert field in error.value.message_dict


def test_officer_cannot_register_a_village_of_another_province(jatim_officer):
    with pytest.raises(ApplicationError):
        services.village_create(region_code=village_region("32").code, actor=jatim_officer)


# --- status transitions -----------------------------------------------------------------------

ALLOWED = {
    ("candidate", "assessed"),
    ("candidate", "withdrawn"),
    ("assessed", "desa_migran_emas"),
    ("assessed", "withdrawn"),
    ("desa_migran_emas", "withdrawn"),
    ("withdrawn", "candidate"),
}


@pytest.mark.parametrize("from_status", VillageStatus.values)
@pytest.mark.parametrize("to_status", VillageStatus.values)
def test_status_transition_matrix(ministry, from_status, to_status):
    # given
    village = VillageFactory(status=from_status)
    # when / then
    if (from_status, to_status) in ALLOWED:
        services.village_change_status(village=village, to_status=to_status, actor=ministry)
        village.refresh_from_db()
        assert village.status == to_status
        assert village.status_changes.get().actor == ministry
    else:
        with pytest.raises(ApplicationError):
            services.village_change_status(village=village, to_status=to_status, actor=ministry)
        village.refresh_from_db()
        assert village.status == from_status
        assert not village.status_changes.exists()


# --- assessment and designation ---------------------------------------------------------------


def test_assessment_scores_the_checklist_and_marks_the_candidate_assessed(jatim_officer):
    # given
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    items = {**ALL_MET, Criterion.BUDGET: (0, "Belum ada anggaran."), Criterion.DATA: (1, "")}
    # when
    assessment = services.village_assessment_record(
        village=village, assessor=jatim_officer, assessed_on=datetime.date(2025, 6, 1), items=items
    )
    # then: 13 of 16 points
    assert (assessment.score, assessment.passed) == (81, True)
    assert assessment.items.count() == len(Criterion.values)
    village.refresh_from_db()
    assert village.status == VillageStatus.ASSESSED


def test_assessment_must_score_every_criterion(jatim_officer):
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    items = dict(ALL_MET)
    del items[Criterion.BUDGET]
    with pytest.raises(ValidationError) as error:
        services.village_assessment_record(
            village=village,
            assessor=jatim_officer,
            assessed_on=datetime.date(2025, 6, 1),
            items=items,
        )
    assert "items" in error.value.message_dict
    assert not village.assessments.exists()


def test_designation_by_the_head_and_confirmation_by_the_ministry(
    jatim_officer, jatim_head, ministry
):
    # given
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    services.village_assessment_record(
        village=village,
        assessor=jatim_officer,
        assessed_on=datetime.date(2025, 6, 1),
        items=ALL_MET,
    )
    # when
    services.village_designate(village=village, actor=jatim_head)
    village = services.village_designation_confirm(
        village=village, actor=ministry, designated_on=datetime.date(2025, 9, 1)
    )
    # then
    assert village.status == VillageStatus.DESA_MIGRAN_EMAS
    assert village.designation_proposed_by == jatim_head
    assert village.designation_confirmed_by == ministry
    assert village.designated_on == datetime.date(2025, 9, 1)
    assert [c.to_status for c in village.status_changes.all()] == [
        "assessed",
        "assessed",
        "desa_migran_emas",
    ]


@pytest.mark.parametrize(
    ("office", "role"),
    [
        ("bp3mi-jatim", "officer"),
        ("bp3mi-jabar", "head"),
        ("p4mi-tulungagung", "head"),
        ("kemenp2mi", "ministry_analyst"),
    ],
)
def test_only_the_head_of_the_provinces_bp3mi_designates(make_staff, jatim_officer, office, role):
    # given
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    services.village_assessment_record(
        village=village,
        assessor=jatim_officer,
        assessed_on=datetime.date(2025, 6, 1),
        items=ALL_MET,
    )
    # when / then
    with pytest.raises(ApplicationError):
        services.village_designate(village=village, actor=make_staff(office, role))


def test_a_failed_assessment_blocks_designation(jatim_officer, jatim_head):
    village = VillageFactory(status=VillageStatus.CANDIDATE)
    services.village_assessment_record(
        village=village,
        assessor=jatim_officer,
        assessed_on=datetime.date(2025, 6, 1),
        items=HALF_MET,
    )
    with pytest.raises(ApplicationError, match="75%"):
        services.village_designate(village=village, actor=jatim_head)


def test_head_cannot_confirm_and_ministry_cannot_confirm_without_proposal(jatim_head, ministry):
    village = VillageFactory(status=VillageStatus.ASSESSED)
    with pytest.raises(ApplicationError):
        services.village_designation_confirm(village=village, actor=jatim_head)
    with pytest.raises(ApplicationError):
        services.village_designation_confirm(village=village, actor=ministry)


def test_withdrawal_needs_a_reason_and_records_it(jatim_head):
    village = VillageFactory(status=VillageStatus.DESA_MIGRAN_EMAS)
    with pytest.raises(ValidationError):
        services.village_withdraw(village=village, actor=jatim_head, reason="  ")
    village = services.village_withdraw(
        village=village, actor=jatim_head, reason="Desa mengundurkan diri."
    )
    assert village.status == VillageStatus.WITHDRAWN
    assert village.withdrawal_reason == "Desa mengundurkan diri."
    assert village.withdrawn_on is not None


# --- indicators -------------------------------------------------------------------------------

GOOD_FIGURES = {
    "workers_abroad": 150,
    "workers_by_country": {"MY": 80, "TW": 50},
    "procedural_share": Decimal("62.5"),
    "returnees": 30,
    "trained": 20,
    "returnee_businesses": 4,
    "remittances_idr": 1_000_000_000,
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"returnees": 5000}, "returnees"),  # more than the population (3,000)
        ({"workers_abroad": 3001}, "workers_abroad"),
        ({"procedural_share": Decimal("100.1")}, "procedural_share"),
        ({"procedural_share": Decimal("-1")}, "procedural_share"),
        ({"workers_abroad": -1}, "workers_abroad"),
        ({"workers_by_country": {"XX": 10}}, "workers_by_country"),
        ({"workers_by_country": {"MY": 200}}, "workers_by_country"),
        ({"workers_by_country": {"MY": -3}}, "workers_by_country"),
    ],
)
def test_indicator_rejects_impossible_figures(jatim_officer, change, field):
    village = VillageFactory(population=3000)
    with pytest.raises(ValidationError) as error:
        services.indicator_save(
            village=village,
            actor=jatim_officer,
            year=2025,
            period="year",
            figures={**GOOD_FIGURES, **change},
        )
    assert field in error.value.message_dict
    assert not VillageIndicator.objects.exists()


def test_indicator_updates_are_versioned(jatim_officer):
    # given
    village = VillageFactory()
    services.indicator_save(
        village=village, actor=jatim_officer, year=2025, period="year", figures=GOOD_FIGURES
    )
    # when
    indicator = services.indicator_save(
        village=village,
        actor=jatim_officer,
        year=2025,
        period="year",
        figures={**GOOD_FIGURES, "returnees": 35},
    )
    # then
    assert VillageIndicator.objects.count() == 1
    assert [h.returnees for h in indicator.history.order_by("history_date")] == [30, 35]


def test_officer_cannot_enter_indicators_of_another_province(make_staff):
    village = VillageFactory(within="32")
    with pytest.raises(ApplicationError):
        services.indicator_save(
            village=village,
            actor=make_staff("bp3mi-jatim", "officer"),
            year=2025,
            period="year",
            figures=GOOD_FIGURES,
        )


# --- photos -----------------------------------------------------------------------------------


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (40, 30), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (6.0, 10.0, 0.0)}  # GPS latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def test_photo_is_reencoded_without_exif_into_private_storage(jatim_officer, settings):
    # given
    village = VillageFactory()
    upload = SimpleUploadedFile("foto.jpg", _jpeg_with_exif(), content_type="image/jpeg")
    # when
    photo = services.village_photo_add(
        village=village, upload=upload, caption="Balai desa", actor=jatim_officer
    )
    # then
    try:
        assert str(settings.PRIVATE_MEDIA_ROOT) in photo.image.path
        assert str(settings.MEDIA_ROOT) not in photo.image.path
        with photo.image.open("rb") as handle, Image.open(handle) as stored:
            assert stored.format == "JPEG"
            assert dict(stored.getexif()) == {}
            assert (stored.width, stored.height) == (40, 30)
    finally:
        photo.image.delete(save=False)


@pytest.mark.parametrize(
    ("content", "name"),
    [(b"%PDF-1.4 not an image", "foto.jpg"), (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "rusak.jpg")],
)
def test_photo_rejects_files_that_are_not_images(jatim_officer, content, name):
    village = VillageFactory()
    with pytest.raises(ValidationError) as error:
        services.village_photo_add(
            village=village,
            upload=SimpleUploadedFile(name, content),
            caption="x",
            actor=jatim_officer,
        )
    assert "image" in error.value.message_dict
    assert not village.photos.exists()
