# Fixtures of the triage, admin and staff API tests (kept in triage_support.py).
# A real IMAP server (dovecot on loopback) for the mail-intake tests.
from tests.complaints.imap_support import imap_server, mailbox  # noqa: F401
from tests.complaints.triage_support import (  # noqa: F401
    analyst,
    attachment_of,
    complaint_in,
    head_a,
    officer_a,
    officer_b,
)
