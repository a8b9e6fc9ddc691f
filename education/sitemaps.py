from django.contrib.sitemaps import Sitemap

from education import selectors


class ArticleSitemap(Sitemap):
    """Published guides in both languages; drafts, reviews and archived guides never appear."""

    changefreq = "monthly"

    def items(self):
        return selectors.article_list_published()

    def lastmod(self, item):
        return item.updated_at
