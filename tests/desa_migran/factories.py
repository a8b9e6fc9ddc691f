"""Factories of Desa Migran Emas rows on real Kemendagri village codes (regions are loaded)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from desa_migran.choices import Pillar, ProgrammeKind, VillageStatus
from desa_migran.models import Village, VillageActivity, VillageIndicator, VillageProgramme
from portal.models import Region


def village_region(province: str, index: int = 0) -> Region:
    """The index-th village (level 4) under a province or regency code, e.g. "35" or "35.04"."""
    return Region.objects.filter(level=4, code__startswith=f"{province}.").order_by("code")[index]


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    class Params:
        within = "35.04"

    region = factory.LazyAttributeSequence(lambda obj, n: village_region(obj.within, n % 200))
    status = VillageStatus.DESA_MIGRAN_EMAS
    profile = "Desa asal pekerja migran."
    population = 3000
    contact_name = "Satgas PMI Desa"
    contact_phone = "+62 812 0000 1111"


class VillageProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = VillageProgramme

    village = factory.SubFactory(VillageFactory)
    kind = ProgrammeKind.INFO_SERVICE_POST
    name = "Pos Layanan Informasi Migrasi"


class VillageIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = VillageIndicator

    village = factory.SubFactory(VillageFactory)
    year = 2025
    workers_abroad = 150
    workers_by_country = factory.LazyFunction(lambda: {"MY": 80, "TW": 50})
    returnees = 30
    trained = 20
    returnee_businesses = 5
    remittances_idr = 1_350_000_000


class VillageActivityFactory(DjangoModelFactory):
    class Meta:
        model = VillageActivity

    village = factory.SubFactory(VillageFactory)
    held_on = datetime.date(2025, 5, 1)
    pillar = Pillar.EDUKATIF
    title = factory.Sequence(lambda n: f"Sosialisasi migrasi aman {n}")
    description = "Penjelasan jalur resmi kepada calon PMI."
    outcome = "Lebih banyak warga berangkat melalui jalur resmi."
