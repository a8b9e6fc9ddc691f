"""Which Django permissions each staff role gets; `role_groups_sync` turns this into groups.

Each app lists its own models here. A permission whose model does not exist (yet) is skipped, so the
table can name models that a later migration adds.
"""

from portal.choices import Role

_VIEW = ("view",)
_EDIT = ("view", "change")
_WRITE = ("view", "add", "change")
_FULL = ("view", "add", "change", "delete")


def _perms(app_label: str, model: str, actions: tuple[str, ...]) -> list[str]:
    return [f"{app_label}.{action}_{model}" for action in actions]


# Office work: complaints of the office's scope, villages and outreach of its provinces.
_OFFICER = [
    *_perms("portal", "region", _VIEW),
    *_perms("portal", "office", _VIEW),
    *_perms("complaints", "complaint", _EDIT),
    *_perms("complaints", "complaintevent", ("view", "add")),
    *_perms("complaints", "attachment", _VIEW),
    *_perms("complaints", "notification", _VIEW),
    *_perms("complaints", "category", _VIEW),
    *_perms("complaints", "agency", _WRITE),
    *_perms("complaints", "replytemplate", _VIEW),
    # Incoming WhatsApp/SMS/e-mail: appended to cases, or drafts to record.
    *_perms("complaints", "inboundmessage", _VIEW),
    # Reporter contact and passport number (confidential ones: only of the officer's own office).
    "complaints.view_personal_data",
    *_perms("desa_migran", "village", _WRITE),
    *_perms("desa_migran", "villageindicator", _WRITE),
    *_perms("desa_migran", "villageactivity", _WRITE),
    *_perms("desa_migran", "villageassessment", _WRITE),
    # Inlines of the village form: what it runs, its task force, partners, photos, timeline.
    *_perms("desa_migran", "villageprogramme", _FULL),
    *_perms("desa_migran", "taskforcemember", _FULL),
    *_perms("desa_migran", "villagepartner", _FULL),
    *_perms("desa_migran", "villagephoto", ("view", "delete")),
    *_perms("desa_migran", "villagestatuschange", _VIEW),
    *_perms("desa_migran", "villageassessmentitem", _VIEW),
    *_perms("education", "outreachevent", _FULL),
    *_perms("education", "outreachphoto", _FULL),
    *_perms("education", "staffguide", _VIEW),
    *_perms("education", "article", _VIEW),
]

_HEAD = [
    *_OFFICER,
    *_perms("portal", "membership", _VIEW),
    *_perms("oversight", "officereport", _WRITE),
    *_perms("complaints", "replytemplate", _FULL),
    *_perms("complaints", "slapolicy", _VIEW),
    # Heads answer for their office's handling of personal data: they read its access records.
    *_perms("complaints", "accessrecord", _VIEW),
]

_MINISTRY_ANALYST = [
    # Analysts read cases and figures, not reporters' contact details (nobody to call).
    *(perm for perm in _HEAD if perm != "complaints.view_personal_data"),
    *_perms("portal", "office", _EDIT),
    *_perms("complaints", "category", _EDIT),
    *_perms("complaints", "slapolicy", _FULL),
    *_perms("complaints", "holiday", _FULL),
    # The ministry keeps the help directory abroad (KBRI/KJRI, hotlines) current.
    *_perms("portal", "helpcontact", _FULL),
]

_CONTENT_EDITOR = [
    *_perms("education", "topic", _WRITE),
    *_perms("education", "article", _WRITE),
    *_perms("education", "faqentry", _WRITE),
    *_perms("education", "checklist", _WRITE),
    *_perms("education", "checklistitem", _FULL),
    *_perms("education", "staffguide", _FULL),
    # Reviewing: education.services lets a content editor publish only what another person
    # edited last (four eyes), so one role both writes and reviews.
    *_perms("education", "article", ("publish",)),
    *_perms("education", "faqentry", ("publish",)),
    *_perms("education", "checklist", ("publish",)),
    *_perms("education", "articleviewday", _VIEW),
    *_perms("education", "searchmiss", _VIEW),
    *_perms("education", "guideimage", ("view", "add", "delete")),
    *_perms("portal", "helpcontact", _WRITE),
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: _OFFICER,
    Role.HEAD: _HEAD,
    Role.MINISTRY_ANALYST: _MINISTRY_ANALYST,
    Role.CONTENT_EDITOR: _CONTENT_EDITOR,
}

# Group names are what an admin sees in the user form; stable, in Indonesian like the admin itself.
ROLE_GROUP_NAMES: dict[str, str] = {
    Role.OFFICER: "Petugas BP3MI",
    Role.HEAD: "Kepala Kantor",
    Role.MINISTRY_ANALYST: "Analis Kementerian",
    Role.CONTENT_EDITOR: "Editor Konten",
}

# Roles that see every office's data. Being a member of the ministry office is not enough: a
# content editor of the ministry writes guides and reads no complaint.
NATIONAL_ROLES = frozenset({Role.MINISTRY_ANALYST})
# Roles whose membership opens the office's data (complaints, figures, outreach, villages) and that
# of the offices below it. A content editor's membership opens nothing of an office.
OFFICE_ROLES = frozenset({Role.OFFICER, Role.HEAD})
