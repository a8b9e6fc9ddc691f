from rest_framework import serializers

from education.models import OutreachEvent


class OutreachEventPublicSerializer(serializers.ModelSerializer):
    """What the public calendar shows: no staff names, no follow-up notes."""

    office = serializers.CharField(source="office.name")
    region_code = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    province_code = serializers.CharField(source="province_id")
    province_name = serializers.CharField(source="province.name")
    village_code = serializers.CharField(source="village.region_id", allow_null=True, default=None)
    format_label = serializers.CharField(source="get_format_display")
    guides = serializers.SlugRelatedField(
        source="topics", slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = OutreachEvent
        fields = [
            "id",
            "title",
            "starts_at",
            "ends_at",
            "office",
            "region_code",
            "region_name",
            "province_code",
            "province_name",
            "village_code",
            "venue",
            "format",
            "format_label",
            "partners",
            "description",
            "guides",
        ]
