"""The office-scope matrix of the admin, generated from the admin registry.

Every URL of every office-bound model admin (and the admin-wide autocomplete, the bulk actions and
exports) is requested by an officer and a head of office A and by a ministry analyst, for objects
of office A, of A's child post and of office B. An object outside the user's scope must answer 404
(or be absent from lists); each exception is counted as a leak. A new admin URL or a newly
registered model without a case here fails the test.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from complaints.models import (
    AccessRecord,
    Agency,
    Category,
    Complaint,
    ComplaintEvent,
    Holiday,
    InboundMessage,
    Notification,
    ReplyTemplate,
    SlaPolicy,
)
from portal.choices import Role
from tests.complaints.triage_support import (
    MINISTRY,
    OFFICE_A,
    OFFICE_A_POST,
    OFFICE_B,
    staff_client,
)

pytestmark = pytest.mark.django_db

# Office-independent reference tables: the same for every office, nothing to scope.
UNSCOPED_MODELS = {Category, Agency, SlaPolicy, Holiday, ReplyTemplate}
SCOPED_MODELS = {Complaint, Notification, AccessRecord, InboundMessage}

USERS = {
    "officer of A": (OFFICE_A, Role.OFFICER),
    "head of A": (OFFICE_A, Role.HEAD),
    "ministry analyst": (MINISTRY, Role.MINISTRY_ANALYST),
}
VISIBLE = {
    "officer of A": {OFFICE_A, OFFICE_A_POST},
    "head of A": {OFFICE_A, OFFICE_A_POST},
    "ministry analyst": {OFFICE_A, OFFICE_A_POST, OFFICE_B},
}


def _complaints_admins():
    return {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "complaints"
    }


def test_every_registered_complaints_model_is_classified():
    registered = set(_complaints_admins())
    assert registered == SCOPED_MODELS | UNSCOPED_MODELS
    assert ComplaintEvent not in registered  # shown only inside the (scoped) case page


@pytest.fixture
def world(offices, complaint_in, attachment_of, make_staff):
    """One complaint per office with everything hanging off it."""
    reader = make_staff(OFFICE_B, Role.OFFICER, username="pembaca-b")
    objects = {}
    for code in (OFFICE_A, OFFICE_A_POST, OFFICE_B):
        complaint = complaint_in(code)
        complaint.description = "diperbarui"
        complaint.save()  # a second history row
        objects[code] = {
            "complaint": complaint,
            "attachment": attachment_of(complaint),
            "notification": Notification.objects.create(
                channel="email",
                recipient="pelapor@example.invalid",
                template="complaint_public_reply",
                dedupe_key=f"scope-{complaint.pk}",
                complaint=complaint,
            ),
            "accessrecord": AccessRecord.objects.create(
                user=reader, complaint=complaint, action="view"
            ),
            "inboundmessage": InboundMessage.objects.create(
                gateway="generic",
                message_id=f"scope-{complaint.pk}",
                channel="whatsapp",
                sender="+6281234567890",
                text="Pesan",
                received_at=complaint.created_at,
                status="appended",
                complaint=complaint,
            ),
            "history_id": complaint.history.order_by("history_id").first().history_id,
        }
    return objects


def _object_for(model, item):
    return {
        Complaint: item["complaint"],
        Notification: item["notification"],
        AccessRecord: item["accessrecord"],
        InboundMessage: item["inboundmessage"],
    }[model]


def _check_url(client, model, name, pattern, item, visible, permitted):
    """(leak, miss) for one admin URL and one object; names without a case raise KeyError.

    A leak: an object outside the scope answered anything but 404 (or showed up in a list).
    A miss: an object in scope that a user with the view permission could not open.
    """
    obj = _object_for(model, item)
    visible_and_permitted = visible and permitted
    info = f"{model._meta.app_label}_{model._meta.model_name}"
    suffix = name.removeprefix(info + "_") if name else None
    if suffix == "changelist":
        response = client.get(reverse(f"admin:{name}"))
        if response.status_code == 403:
            return False, visible_and_permitted
        listed = {row.pk for row in response.context["cl"].result_list}
        return (obj.pk in listed and not visible), (visible_and_permitted and obj.pk not in listed)
    if suffix == "add":
        status = client.get(reverse(f"admin:{name}")).status_code
        return False, status not in (200, 403)
    if suffix in ("change", "history", "delete"):
        status = client.get(reverse(f"admin:{name}", args=[obj.pk])).status_code
        ok = {"change": {200}, "history": {200}, "delete": {200, 403}}[suffix]
        return (not visible and status != 404), (visible_and_permitted and status not in ok)
    if suffix == "simple_history":
        url = reverse(f"admin:{name}", args=[obj.pk, item["history_id"]])
        status = client.get(url).status_code
        return (not visible and status != 404), (visible_and_permitted and status != 200)
    if suffix == "triage":
        url = reverse(f"admin:{name}", args=[obj.pk, "note"])
        before = obj.events.count()
        status = client.post(url, {"body": "catatan"}).status_code
        changed = obj.events.count() != before
        return (not visible and (status != 404 or changed)), (visible_and_permitted and not changed)
    if suffix == "attachment_download":
        url = reverse(f"admin:{name}", args=[item["attachment"].pk])
        status = client.get(url).status_code
        return (not visible and status != 404), (visible_and_permitted and status != 200)
    if name is None and "object_id" in str(pattern.pattern):
        # Django's "<id>/" → "<id>/change/" redirect: answers the same for any id.
        status = client.get(f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/")
        return status.status_code != 302, False
    raise KeyError(f"no scope case for admin URL {name or pattern.pattern}")


@pytest.mark.parametrize("who", list(USERS))
def test_admin_scope_matrix(world, make_staff, who):
    # given
    office_code, role = USERS[who]
    user = make_staff(office_code, role, username=f"matrix-{role}")
    client = staff_client(user)
    leaks, misses, checked = [], [], 0
    # when: every URL of every scoped model admin, for objects of A, A's post and B
    for model in SCOPED_MODELS:
        model_admin = admin.site._registry[model]
        permitted = user.has_perm(f"complaints.view_{model._meta.model_name}")
        for pattern in model_admin.get_urls():
            for code, item in world.items():
                visible = code in VISIBLE[who]
                leak, miss = _check_url(
                    client, model, pattern.name, pattern, item, visible, permitted
                )
                checked += 1
                if leak:
                    leaks.append((pattern.name, code))
                if miss:
                    misses.append((pattern.name, code))
    # then
    assert checked >= 30
    assert leaks == [], f"{len(leaks)} leaks"
    assert misses == []


@pytest.mark.parametrize("who", list(USERS))
def test_autocomplete_is_scoped(world, make_staff, who):
    office_code, role = USERS[who]
    client = staff_client(make_staff(office_code, role, username=f"auto-{role}"))
    leaks = []
    for code, item in world.items():
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "complaints",
                "model_name": "complaint",
                "field_name": "duplicate_of",
                "term": item["complaint"].reference,
            },
        )
        ids = {row["id"] for row in response.json()["results"]}
        found = str(item["complaint"].pk) in ids
        if found != (code in VISIBLE[who]):
            leaks.append(code)
    assert leaks == []


@pytest.mark.parametrize("who", list(USERS))
def test_bulk_actions_and_exports_are_scoped(world, make_staff, who):
    # given
    office_code, role = USERS[who]
    client = staff_client(make_staff(office_code, role, username=f"bulk-{role}"))
    model_admin = admin.site._registry[Complaint]
    actions = [name for name in model_admin.actions if isinstance(name, str)] + [
        action.__name__ for action in model_admin.actions if callable(action)
    ]
    leaks = []
    # when: each action on one complaint of each office
    for action in actions:
        for code, item in world.items():
            complaint = item["complaint"]
            before = (complaint.events.count(), Complaint.objects.get(pk=complaint.pk).status)
            response = client.post(
                reverse("admin:complaints_complaint_changelist"),
                {"action": action, "_selected_action": [complaint.pk]},
            )
            after = (complaint.events.count(), Complaint.objects.get(pk=complaint.pk).status)
            in_scope = code in VISIBLE[who]
            exported = action.startswith("export_") and complaint.reference.encode() in (
                response.content if action == "export_csv" else _xlsx_text(response.content)
            )
            if not in_scope and (before != after or exported):
                leaks.append((action, code))
    # then
    assert len(actions) >= 8
    assert leaks == []


def _xlsx_text(content: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(cell.value) for row in sheet.iter_rows() for cell in row).encode()
