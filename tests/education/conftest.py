import pytest


@pytest.fixture
def no_starter_content(db):
    """Remove the starter content of migration 0003 (rolled back after the test)."""
    from education.models import Article, Checklist, FaqEntry

    Article.objects.all().delete()
    FaqEntry.objects.all().delete()
    Checklist.objects.all().delete()
