"""Monthly reports of the BP3MI offices to the ministry (issue 10).

models.py (imported by oversight.models), choices.py, services.py (every write and the workflow
table), selectors.py (scoped reads and the pre-filled figures), forms.py, views.py, urls.py; the
reminder task is in oversight/tasks.py.
"""
