"""Public read-only API of the guides: published only, paginated, filterable, in the schema."""

from __future__ import annotations

import django_filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from education import selectors
from education.choices import ContentLanguage, LifeStage
from education.models import Article


class ArticleListSerializer(serializers.ModelSerializer):
    topic = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Article
        fields = (
            "slug", "title", "summary", "language", "topic", "stage", "country", "published_at",
            "last_checked_on", "url",
        )  # fmt: skip


class ArticleDetailSerializer(ArticleListSerializer):
    translation = serializers.SerializerMethodField()
    body_html = serializers.CharField(read_only=True)

    class Meta(ArticleListSerializer.Meta):
        fields = (*ArticleListSerializer.Meta.fields, "body_html", "sources", "translation")

    def get_translation(self, article: Article) -> str | None:
        translation = selectors.article_translation(article=article)
        return translation.slug if translation else None


class ArticleFilter(django_filters.FilterSet):
    topic = django_filters.CharFilter(field_name="topic__slug", help_text="Topic slug.")
    stage = django_filters.ChoiceFilter(choices=LifeStage.choices)
    country = django_filters.CharFilter(
        method="filter_country", help_text="ISO 3166-1 alpha-2 code, e.g. MY."
    )
    language = django_filters.ChoiceFilter(choices=ContentLanguage.choices)
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Full-text search in the language given by `language` (default Indonesian).",
    )

    class Meta:
        model = Article
        fields = ("topic", "stage", "country", "language", "search")

    def filter_country(self, queryset, name, value):
        return queryset.filter(country=value.upper())

    def filter_search(self, queryset, name, value):
        language = self.data.get("language") or "id"
        found = selectors.article_search(query=value, language=language, limit=100)
        ranked_ids = [article.pk for article in found]
        return queryset.filter(pk__in=ranked_ids)


@extend_schema_view(
    list=extend_schema(
        summary="Published safe-migration guides",
        responses={
            200: ArticleListSerializer,
            400: OpenApiResponse(description="Bad filter value"),
            404: OpenApiResponse(description="Page number out of range"),
        },
    ),
    retrieve=extend_schema(
        summary="One published guide",
        responses={200: ArticleDetailSerializer, 404: OpenApiResponse(description="Not found")},
    ),
)
class ArticleViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    filterset_class = ArticleFilter
    authentication_classes = ()
    permission_classes = ()

    def get_queryset(self):
        return selectors.article_list_published().order_by("id")

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleListSerializer
