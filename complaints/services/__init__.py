"""Writes of the complaints app, one module per workflow:

- intake.py: submitting, tracking and reporter messages (complaint_submit, ...)
- triage.py: staff actions: assign, change status, reply, note, forward, duplicate, reopen
- status.py: the one status change (complaint_transition) and its allowed-transitions table
- events.py: every timeline event, one function per kind
- contact.py: how a reporter is reached (complaint_reporter_contact)
- sla.py / escalation/: working-day deadlines and the escalation sweep (a package)
- notifications.py: the outbox (notification_queue) and its delivery

Import from the module, e.g. `from complaints.services.intake import complaint_submit`.
"""
