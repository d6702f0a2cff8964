"""The catalogue API: /api/v1/procedures/ (read-only, public)."""

import django_filters
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.permissions import AllowAny

from .constants import AgencyLevel, OnlineLevel
from .models import Agency, Field, Procedure, RequiredDocument
from .selectors import procedure_list_public, procedure_search


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["code", "name", "level"]


class FieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = Field
        fields = ["code", "name"]


class RequiredDocumentSerializer(serializers.ModelSerializer):
    template_url = serializers.SerializerMethodField()

    class Meta:
        model = RequiredDocument
        fields = [
            "id",
            "name",
            "description",
            "is_required",
            "original_copies",
            "copy_copies",
            "accepted_file_types",
            "template_url",
        ]

    def get_template_url(self, document) -> str | None:
        if not document.template:
            return None
        url = reverse("procedures:document-template", args=[document.procedure.code, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class ProcedureListSerializer(serializers.ModelSerializer):
    agency = AgencySerializer()
    field = FieldSerializer()

    class Meta:
        model = Procedure
        fields = ["code", "name", "agency", "field", "online_level", "processing_time", "processing_time_unit", "fee"]


class ProcedureDetailSerializer(ProcedureListSerializer):
    documents = RequiredDocumentSerializer(many=True)

    class Meta(ProcedureListSerializer.Meta):
        fields = [
            *ProcedureListSerializer.Meta.fields,
            "cutoff_time",
            "fee_notes",
            "description",
            "applicant_requirements",
            "result_description",
            "legal_basis",
            "applicant_fields",
            "accepts_online",
            "accepts_counter",
            "accepts_postal",
            "delivers_at_counter",
            "delivers_online",
            "delivers_by_post",
            "documents",
        ]


class ProcedureFilter(django_filters.FilterSet):
    agency = django_filters.CharFilter(field_name="agency__code", help_text="Mã định danh cơ quan")
    field = django_filters.CharFilter(field_name="field__code", help_text="Mã lĩnh vực")
    level = django_filters.ChoiceFilter(field_name="agency__level", choices=AgencyLevel.choices)
    online_level = django_filters.TypedChoiceFilter(choices=OnlineLevel.choices, coerce=int)
    search = django_filters.CharFilter(method="filter_search", help_text="Tìm theo tên hoặc mã, có hoặc không dấu")

    class Meta:
        model = Procedure
        fields = ["agency", "field", "level", "online_level", "search"]

    def filter_search(self, queryset, name, value):
        return procedure_search(queryset, value)


@extend_schema_view(
    list=extend_schema(summary="Danh mục thủ tục hành chính đang áp dụng"),
    retrieve=extend_schema(summary="Chi tiết một thủ tục theo mã"),
)
class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    # Public: no credentials are read, so a client that sends its token everywhere is never refused here.
    authentication_classes = []
    permission_classes = [AllowAny]
    filterset_class = ProcedureFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z.]+"

    def get_queryset(self):
        procedures = procedure_list_public()
        if self.action == "retrieve":
            procedures = procedures.prefetch_related("documents")
        return procedures

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureListSerializer
