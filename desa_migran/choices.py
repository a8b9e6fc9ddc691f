"""Enumerations of the Desa Migran Emas programme."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ASSESSED = "assessed", _("Assessed")
    DESA_MIGRAN_EMAS = "desa_migran_emas", _("Desa Migran Emas")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Pillar(models.TextChoices):
    """EMAS: Edukatif, Maju, Aman, Sejahtera (educated, advanced, safe, prosperous)."""

    EDUKATIF = "edukatif", _("Educated (Edukatif)")
    MAJU = "maju", _("Advanced (Maju)")
    AMAN = "aman", _("Safe (Aman)")
    SEJAHTERA = "sejahtera", _("Prosperous (Sejahtera)")


class ProgrammeKind(models.TextChoices):
    """What a village runs; each kind sits under one pillar (PROGRAMME_PILLAR)."""

    INFO_SERVICE_POST = "info_service_post", _("Migration information and service post")
    TRAINING = "training", _("Training")
    FINANCIAL_LITERACY = "financial_literacy", _("Financial literacy and remittance programme")
    PRODUCTIVE_ECONOMY = "productive_economy", _("Productive economy and returnee businesses")
    COOPERATIVE = "cooperative", _("Cooperative or BUMDes")
    TASK_FORCE = "task_force", _("Village task force for PMI protection")
    VILLAGE_REGULATION = "village_regulation", _("Village regulation (Perdes) on PMI protection")
    LEGAL_AID_NETWORK = "legal_aid_network", _("Complaint and legal-aid network")
    COMMUNITY_PARENTING = (
        "community_parenting",
        _("Community parenting and learning spaces for migrants' children"),
    )


# The programme's guidance groups the old Desmigratif pillars under EMAS this way: information and
# training educate, businesses and cooperatives advance, protection makes safe, family care and
# household finance bring prosperity.
PROGRAMME_PILLAR: dict[str, str] = {
    ProgrammeKind.INFO_SERVICE_POST: Pillar.EDUKATIF,
    ProgrammeKind.TRAINING: Pillar.EDUKATIF,
    ProgrammeKind.PRODUCTIVE_ECONOMY: Pillar.MAJU,
    ProgrammeKind.COOPERATIVE: Pillar.MAJU,
    ProgrammeKind.TASK_FORCE: Pillar.AMAN,
    ProgrammeKind.VILLAGE_REGULATION: Pillar.AMAN,
    ProgrammeKind.LEGAL_AID_NETWORK: Pillar.AMAN,
    ProgrammeKind.COMMUNITY_PARENTING: Pillar.SEJAHTERA,
    ProgrammeKind.FINANCIAL_LITERACY: Pillar.SEJAHTERA,
}


class IndicatorPeriod(models.TextChoices):
    YEAR = "year", _("Whole year")
    H1 = "h1", _("January to June")
    H2 = "h2", _("July to December")


class PartnerKind(models.TextChoices):
    GOVERNMENT = "government", _("Government")
    NGO = "ngo", _("Civil society organisation")
    PRIVATE = "private", _("Company or bank")
    UNIVERSITY = "university", _("University")
    INTERNATIONAL = "international", _("International organisation")


class Criterion(models.TextChoices):
    """The programme's assessment checklist."""

    INFO_POST = "info_post", _("An information and service post is open on set hours")
    TASK_FORCE = "task_force", _("A task force for PMI protection is appointed by decree")
    REGULATION = "regulation", _("A village regulation on PMI protection is in force")
    DATA = "data", _("The village keeps data on its migrant workers and returnees")
    ECONOMY = "economy", _("Returnees are supported in productive businesses")
    COOPERATIVE = "cooperative", _("A cooperative or BUMDes serves migrant families")
    PARENTING = "parenting", _("Migrants' children have community parenting or learning spaces")
    BUDGET = "budget", _("The village budget funds migrant-worker protection")


class CriterionScore(models.IntegerChoices):
    NOT_MET = 0, _("Not met")
    PARTLY = 1, _("Partly met")
    MET = 2, _("Fully met")
