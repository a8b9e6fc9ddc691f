# Fixtures of the triage, admin and staff API tests (kept in triage_support.py).
from tests.complaints.triage_support import (  # noqa: F401
    analyst,
    attachment_of,
    complaint_in,
    head_a,
    officer_a,
    officer_b,
)
