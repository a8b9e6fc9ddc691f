"""The production stack (`make prod`), started once for the tests of this package that use it."""

from __future__ import annotations

import pytest

from tests.complaints.sla_support import holidays_ensure
from tests.complaints.triage_support import category_ensure
from tests.faults.processes import port_answers
from tests.prod.stack import ProdStack

# Failed tracking attempts allowed per client in the stack: small, so the test reaches it fast.
TRACK_LIMIT = 3


@pytest.fixture(scope="package")
def stack(django_db_setup, django_db_blocker):
    stack = ProdStack(
        # The beat's sweep every 2 s instead of every minute: the test waits for it.
        ESCALATION_INTERVAL_SECONDS="2",
        THROTTLE_TRACK=f"{TRACK_LIMIT}/10m",
    )
    try:
        stack.start()
        yield stack
    finally:
        port = stack.port
        stack.stop()
        # Ctrl-C stopped everything it started: nobody answers on the TLS port any more.
        assert not port_answers(port)


@pytest.fixture
def prod_data(stack, reference_data, settings):
    category_ensure()  # the taxonomy's data migration does not survive a transactional flush
    holidays_ensure()
    # The flush between tests gave categories and regions new ids behind the stack's back: its
    # processes must drop the reference data they keep, as an edit in the admin makes them do.
    stack.reference_data_changed()
