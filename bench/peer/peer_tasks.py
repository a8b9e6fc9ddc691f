"""Set-up and escalation timing for the django-helpdesk peer; runs in the peer's own venv.

    var/peer/venv/bin/python bench/peer/peer_tasks.py HOST_DIR seed ITEMS OVERDUE
    var/peer/venv/bin/python bench/peer/peer_tasks.py HOST_DIR escalate

`seed`: a staff user `bench-staff`, a public queue `complaints` (escalate_days=1) and ITEMS open
tickets, the first OVERDUE created 10 days ago (escalation takes them), the rest today. Idempotent:
tops the tickets up to ITEMS. `escalate`: puts the overdue tickets back (priority 3, never
escalated, their escalation follow-ups deleted), then times `manage.py escalate_tickets` and
counts its statements. Prints one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time

OVERDUE_AGE = dt.timedelta(days=10)


def setup(host_dir: str) -> None:
    sys.path.insert(0, host_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "host.settings")
    import django

    django.setup()


def seed(items: int, overdue: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from helpdesk.models import Queue, Ticket

    user, created = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_unusable_password()
        user.save()
    queue, _ = Queue.objects.get_or_create(
        slug="complaints",
        defaults={"title": "Complaints", "allow_public_submission": True, "escalate_days": 1},
    )
    existing = Ticket.objects.filter(queue=queue).count()
    now = timezone.now()
    started = time.perf_counter()
    batch = []
    for number in range(existing + 1, items + 1):
        when = now - OVERDUE_AGE if number <= overdue else now
        batch.append(
            Ticket(
                queue=queue,
                title=f"Unpaid wages #{number}",
                description="Gaji tidak dibayar.",
                submitter_email=f"worker{number}@example.org",
                status=Ticket.OPEN_STATUS,
                priority=3,
                created=when,
                modified=when,
            )
        )
        if len(batch) == 5000:
            Ticket.objects.bulk_create(batch)
            batch = []
    if batch:
        Ticket.objects.bulk_create(batch)
    # `created` is auto_now_add: bulk_create stamps now, so the overdue ones are dated back here.
    first = list(
        Ticket.objects.filter(queue=queue).order_by("id").values_list("id", flat=True)[:overdue]
    )
    if first:
        Ticket.objects.filter(id__in=first).update(
            created=now - OVERDUE_AGE, modified=now - OVERDUE_AGE
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE helpdesk_ticket")
    return {
        "tickets": Ticket.objects.count(),
        "inserted": max(0, items - existing),
        "seconds": round(time.perf_counter() - started, 1),
    }


def escalate() -> dict:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from helpdesk.models import FollowUp, Ticket

    cutoff = timezone.now() - OVERDUE_AGE / 2
    FollowUp.objects.filter(title="Ticket Escalated").delete()
    Ticket.objects.filter(created__lt=cutoff).update(priority=3, last_escalation=None)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE helpdesk_ticket")
        cursor.execute("VACUUM ANALYZE helpdesk_followup")
    counted = [0]

    def wrapper(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        call_command("escalate_tickets")
    seconds = time.perf_counter() - started
    escalated = Ticket.objects.filter(created__lt=cutoff, last_escalation__isnull=False).count()
    return {"seconds": round(seconds, 2), "queries": counted[0], "escalated": escalated}


def main() -> None:
    host_dir, command, *args = sys.argv[1:]
    setup(host_dir)
    if command == "seed":
        result = seed(int(args[0]), int(args[1]))
    elif command == "escalate":
        result = escalate()
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
