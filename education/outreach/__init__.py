"""Outreach events (sosialisasi) of the BP3MI offices (issue 10): services, scoped selectors, the
public calendar and its API."""
