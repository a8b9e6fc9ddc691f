import logging

import pytest

from portal.logging import ScrubPersonalDataFilter, scrub


@pytest.mark.parametrize(
    ("text", "leaked"),
    [
        ("reporter siti@example.com wrote", "siti@example.com"),
        ("call +62 812-3456-7890 now", "812-3456-7890"),
        ("from 203.0.113.77", "203.0.113.77"),
        ("passport A1234567 seized", "A1234567"),
        ("WhatsApp 6281234567890", "6281234567890"),
    ],
)
def test_scrub_removes_personal_data(text, leaked):
    assert leaked not in scrub(text)


def test_log_records_are_scrubbed_before_they_are_written(caplog):
    logger = logging.getLogger("portal.test")
    logger.addFilter(ScrubPersonalDataFilter())
    with caplog.at_level(logging.INFO, logger="portal.test"):
        logger.info("complaint from %s at %s", "budi@example.com", "+6281234567890")
    assert "budi@example.com" not in caplog.text
    assert "6281234567890" not in caplog.text
    assert "[email]" in caplog.text
