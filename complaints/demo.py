"""Demo complaints for `manage.py seed_demo [--complaints N]`: realistic spread, bulk speed.

Idempotent: it tops the table up to N complaints in all and never deletes. A million rows take
minutes because everything is bulk: complaints and their timeline events go in with bulk_create in
batches, and the access key is hashed ONCE (one slow PBKDF2 run) and that hash reused for every
demo row, so all demo complaints open with DEMO_ACCESS_KEY. Demo data only: real complaints
always get their own key and salt (complaints.services.intake).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from complaints.choices import (
    AgencyKind,
    ContactChannel,
    EventKind,
    FilerRelation,
    Priority,
    SlaStage,
    Status,
    Visibility,
)
from complaints.models import Agency, Category, Complaint, ComplaintEvent
from complaints.references import ALPHABET, REFERENCE_PREFIX, access_key_hash
from complaints.services.intake import agency_normalise_name
from complaints.services.sla import SlaPolicyBook, calendar_load, standard_row_fill
from portal.choices import OfficeKind
from portal.models import Office, Region
from portal.selectors import office_for_region

# 5,000 rows of ~45 columns stay well under PostgreSQL's 65,535 bind parameters per statement
# and keep each batch's transaction short (about a second).
BATCH_SIZE = 5_000
DEMO_ACCESS_KEY = "DEMQ2-PMK4N-7HT9R-WXY3S"
# Fixed seed: the same N gives the same demo data on every machine.
RANDOM_SEED = 20_260_101

# The main sending provinces (weights roughly follow BP2MI placement statistics).
PROVINCE_WEIGHTS = {
    "35": 25,
    "33": 20,
    "32": 18,
    "52": 12,
    "18": 6,
    "53": 4,
    "12": 4,
    "51": 2,
    "36": 2,
    "61": 2,
}
COUNTRY_WEIGHTS = {
    "MY": 30,
    "TW": 20,
    "HK": 15,
    "SA": 10,
    "SG": 6,
    "KR": 5,
    "JP": 4,
    "AE": 3,
    "BN": 2,
    "QA": 2,
    "KW": 1,
    "PL": 1,
    "TR": 1,
}
STATUS_WEIGHTS = {
    Status.RECEIVED: 12,
    Status.VERIFIED: 10,
    Status.IN_PROGRESS: 25,
    Status.WAITING_REPORTER: 5,
    Status.RESOLVED: 20,
    Status.CLOSED: 22,
    Status.REJECTED: 4,
    Status.DUPLICATE: 2,
}
DESCRIPTIONS = [
    "Majikan tidak membayar gaji saya selama {n} bulan dan menahan paspor saya.",
    "Saya ingin pulang ke Indonesia tetapi agensi meminta biaya yang sangat besar.",
    "Pekerjaan saya tidak sesuai dengan perjanjian kerja; saya bekerja {n} jam setiap hari.",
    "Keluarga kami hilang kontak dengan anak kami sejak {n} minggu yang lalu.",
    "Saya dipukul oleh majikan dan sekarang berada di rumah teman.",
    "Saya sakit dan tidak diberi izin berobat oleh majikan.",
    "Sponsor memotong gaji saya untuk biaya penempatan selama {n} bulan.",
    "Kontrak saya diputus sepihak dan saya belum menerima gaji terakhir.",
    "Saya ditawari pekerjaan lewat media sosial lalu diminta membayar, ternyata penipuan.",
    "Klaim asuransi saya setelah kecelakaan kerja belum dibayar.",
]
FIRST_NAMES = ["Siti", "Sri", "Dewi", "Nur", "Rina", "Wati", "Agus", "Budi", "Eko", "Lestari"]
LAST_NAMES = ["Aminah", "Rahayu", "Wulandari", "Hidayat", "Santoso", "Susanti", "Purnomo"]
DEMO_AGENCIES = [
    "PT Demo Sinar Karya Mandiri",
    "PT Demo Bina Tenaga Sejahtera",
    "PT Demo Citra Penempatan Abadi",
    "PT Demo Mitra Kerja Nusantara",
    "PT Demo Jaya Insani Global",
]


def seed(context) -> None:
    target = max(0, int(getattr(context, "complaints", 200)))
    existing = Complaint.objects.count()
    if existing >= target:
        return
    rng = random.Random(RANDOM_SEED + existing)  # noqa: S311 (demo data, not secrets)
    plan = _Plan(rng)
    created = 0
    while created < target - existing:
        size = min(BATCH_SIZE, target - existing - created)
        _batch_insert(plan, rng, size)
        created += size
        if created % (BATCH_SIZE * 20) == 0:
            context.stdout.write(f"demo complaints: {existing + created:,} / {target:,}")
    context.stdout.write(
        f"demo complaints: {target:,} in all; each opens with the demo key {DEMO_ACCESS_KEY}"
    )


class _Plan:
    """Everything a batch needs, loaded once: a few dozen queries whatever N is."""

    def __init__(self, rng: random.Random) -> None:
        self.categories = list(Category.objects.filter(is_active=True))
        self.categories_by_id = {category.pk: category for category in self.categories}
        self.key_hash = access_key_hash(DEMO_ACCESS_KEY)  # hashed once, reused by every demo row
        regencies = list(
            Region.objects.filter(level=2, parent_id__in=PROVINCE_WEIGHTS).values_list(
                "code", "parent_id"
            )
        )
        rng.shuffle(regencies)
        # Every regency with its own post, plus three per province: a realistic spread with
        # few routing queries (two per regency, once).
        post_regencies = set(
            Office.objects.filter(kind=OfficeKind.POST).values_list("regions__code", flat=True)
        )
        chosen: dict[str, list[str]] = {}
        for code, province in regencies:
            if code in post_regencies or len(chosen.setdefault(province, [])) < 3:
                chosen.setdefault(province, []).append(code)
        self.regions: list[tuple[str, int, float]] = []
        for province, codes in chosen.items():
            for code in codes:
                office = office_for_region(region_code=code)
                if office is not None:
                    self.regions.append((code, office.pk, PROVINCE_WEIGHTS[province] / len(codes)))
        if not self.regions:
            raise RuntimeError("load regions and offices first (portal demo)")
        self.agencies = [_demo_agency(name) for name in DEMO_AGENCIES]
        self.now = timezone.now()
        # The service standard of each row, from the SLA module's own policies and calendar
        # (cached per distinct day: a million rows cost seconds, not a walk each).
        self.calendar = calendar_load()
        self.policy_book = SlaPolicyBook()


def _demo_agency(name: str) -> Agency:
    agency, _created = Agency.objects.get_or_create(
        kind=AgencyKind.P3MI,
        normalized_name=agency_normalise_name(name),
        defaults={"name": name, "country": "ID"},
    )
    return agency


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _reference(number: int) -> str:
    symbols = []
    for _ in range(8):
        number, index = divmod(number, len(ALPHABET))
        symbols.append(ALPHABET[index])
    code = "".join(symbols)
    return f"{REFERENCE_PREFIX}-{code[:4]}-{code[4:]}"


def _batch_insert(plan: _Plan, rng: random.Random, size: int) -> None:
    space = len(ALPHABET) ** 8
    # Demo references: a random-looking but collision-free walk (multiplier coprime to 30).
    start = rng.randrange(space)
    references = [_reference((start + i * 1_000_003) % space) for i in range(size)]
    taken = set(
        Complaint.objects.filter(reference__in=references).values_list("reference", flat=True)
    )
    rows = [_complaint(plan, rng, reference) for reference in references if reference not in taken]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            _insert_copy(rows)
        else:
            _insert_bulk(rows)


def _event_rows(complaint: dict) -> list[dict]:
    events = [
        {
            "complaint_id": complaint["id"],
            "kind": EventKind.CREATED,
            "visibility": Visibility.PUBLIC,
            "by_reporter": True,
            "created_at": complaint["created_at"],
        }
    ]
    if complaint["status"] != Status.RECEIVED:
        events.append(
            {
                "complaint_id": complaint["id"],
                "kind": EventKind.STATUS,
                "visibility": Visibility.PUBLIC,
                "data": {"from": Status.RECEIVED, "to": complaint["status"]},
                "created_at": complaint["updated_at"],
            }
        )
    return events


def _insert_bulk(rows: list[dict]) -> None:
    """SQLite (make run): plain bulk_create, fine for the default few hundred rows."""
    with _created_at_settable():
        complaints = Complaint.objects.bulk_create([Complaint(**row) for row in rows])
        events = []
        for complaint, row in zip(complaints, rows, strict=True):
            row["id"] = complaint.pk
            events += [ComplaintEvent(**event) for event in _event_rows(row)]
        ComplaintEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)


def _insert_copy(rows: list[dict]) -> None:
    """PostgreSQL: COPY, about ten times faster than bulk_create's SQL building for a million rows.
    Ids come from the table's sequence first, so events can point at their complaints."""
    with connection.cursor() as cursor:
        _skip_foreign_key_triggers(cursor)
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('complaints_complaint', 'id')) "
            "FROM generate_series(1, %s)",
            [len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row["id"] = pk
        _copy(cursor, Complaint, rows)
        _copy(cursor, ComplaintEvent, [event for row in rows for event in _event_rows(row)])


def _skip_foreign_key_triggers(cursor) -> None:
    """Demo rows are consistent by construction (ids from the sequence, existing offices and
    regions); checking ~10 foreign keys per row at COMMIT is most of a million-row load. Where the
    role may (a superuser's benchmark database), skip those triggers for this transaction only."""
    try:
        with transaction.atomic():
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass  # not allowed for this role: the load is slower, not wrong


def _copy(cursor, model, rows: list[dict]) -> None:
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and model is ComplaintEvent)
    ]
    defaults = {field.attname: field.get_default() for field in fields}
    buffer = io.StringIO()
    for row in rows:
        buffer.write(
            "\t".join(
                _copy_text(row.get(field.attname, defaults[field.attname])) for field in fields
            )
        )
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(f'"{field.column}"' for field in fields)
    cursor.cursor.copy_expert(
        f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN',
        buffer,
    )


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _complaint(plan: _Plan, rng: random.Random, reference: str) -> dict:
    row = _complaint_row(plan, rng, reference)
    standard_row_fill(
        row=row,
        category=plan.categories_by_id[row["category_id"]],
        calendar=plan.calendar,
        policy_book=plan.policy_book,
        now=plan.now,
    )
    return row


def _complaint_row(plan: _Plan, rng: random.Random, reference: str) -> dict:
    category = rng.choice(plan.categories)
    region, office_id = _region(plan, rng)
    status = _pick(rng, STATUS_WEIGHTS)
    created_at = plan.now - dt.timedelta(seconds=rng.randrange(365 * 24 * 3600))
    urgent = category.is_urgent or rng.random() < 0.03
    anonymous = rng.random() < 0.15
    handled = status != Status.RECEIVED
    finished = status in (Status.RESOLVED, Status.CLOSED)
    updated_at = min(plan.now, created_at + dt.timedelta(hours=rng.randrange(1, 24 * 20)))
    agency = rng.choice(plan.agencies) if rng.random() < 0.3 else None
    name = "" if anonymous else f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    phone = "" if anonymous else f"+62812{rng.randrange(10_000_000, 99_999_999)}"
    return {
        "reference": reference,
        "access_key_hash": plan.key_hash,
        "kind": category.kind,
        "category_id": category.pk,
        "status": str(status),
        "priority": Priority.URGENT if urgent else category.default_priority,
        "is_urgent": urgent,
        "description": rng.choice(DESCRIPTIONS).format(n=rng.randrange(2, 12)),
        "filer_relation": rng.choice(FilerRelation.values),
        "destination_country": _pick(rng, COUNTRY_WEIGHTS),
        "placement_agency_id": agency.pk if agency else None,
        "placement_agency_name": agency.name if agency else "",
        "origin_region_id": region,
        "is_anonymous": anonymous,
        "is_confidential": anonymous or rng.random() < 0.2,
        "reporter_name": name,
        "reporter_phone": phone,
        "preferred_channel": "" if anonymous else ContactChannel.WHATSAPP,
        "consent_at": created_at,
        "office_id": office_id,
        "sla_stage": SlaStage.RESOLUTION if handled else SlaStage.VERIFICATION,
        "due_at": created_at
        + (dt.timedelta(hours=4) if urgent else dt.timedelta(days=3 if not handled else 14)),
        "created_at": created_at,
        "updated_at": updated_at,
        "verified_at": updated_at if handled else None,
        "first_response_at": updated_at if handled else None,
        "resolved_at": updated_at if finished else None,
        "closed_at": updated_at if status == Status.CLOSED else None,
    }


def _region(plan: _Plan, rng: random.Random) -> tuple[str, int]:
    code, office_id, _weight = rng.choices(plan.regions, weights=[r[2] for r in plan.regions])[0]
    return code, office_id


@contextmanager
def _created_at_settable():
    """Demo rows carry past creation times; auto_now(_add) would overwrite them with now."""
    fields = [
        (Complaint._meta.get_field("created_at"), "auto_now_add"),
        (Complaint._meta.get_field("updated_at"), "auto_now"),
        (ComplaintEvent._meta.get_field("created_at"), "auto_now_add"),
    ]
    saved = [(field, attribute, getattr(field, attribute)) for field, attribute in fields]
    try:
        for field, attribute, _value in saved:
            setattr(field, attribute, False)
        yield
    finally:
        for field, attribute, value in saved:
            setattr(field, attribute, value)
