"""Ministry and office dashboards, the agency watchlist and the public statistics (issue 8).

models.py: the summary table and working-day calendar; services.py: their refresh; selectors.py:
every dashboard figure, scoped; stats.py: the public, suppressed statistics; views.py: the pages.
"""
