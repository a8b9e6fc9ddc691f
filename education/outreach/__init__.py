"""Outreach events (sosialisasi) of the BP3MI offices: services, scoped selectors, the
public calendar and its API."""
