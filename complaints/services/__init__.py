"""Writes of the complaints app, one module per workflow:

- intake.py: submitting, tracking and reporter messages (complaint_submit, ...)
- triage.py: staff actions: assign, change status, reply, note, forward, duplicate, reopen
- sla.py / escalation.py: working-day deadlines and the escalation sweep
- notifications.py: the outbox (notification_queue) and its delivery

Import from the module, e.g. `from complaints.services.intake import complaint_submit`.
"""
