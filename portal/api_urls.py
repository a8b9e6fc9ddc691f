"""Public API routes of the portal app (statistics and outreach land here in later issues)."""

urlpatterns: list = []
