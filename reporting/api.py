"""GET /api/v1/statistics/: the public figures as open data, per agency, field or procedure, with the same period and
filters as the public page (`StatisticsFilterForm`: one set of rules) and the same numbers (`reporting.selectors`)."""

from django import forms
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api_errors import ApiErrorSerializer
from procedures.constants import AgencyLevel, Channel, OnlineLevel

from . import pagecache, selectors
from .constants import PeriodKind
from .forms import FIRST_YEAR, LAST_YEAR, StatisticsFilterForm

GROUP_CHOICES = [("agency", _("Theo cơ quan")), ("field", _("Theo lĩnh vực")), ("procedure", _("Theo thủ tục"))]


class StatisticsApiForm(StatisticsFilterForm):
    group = forms.ChoiceField(
        choices=GROUP_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Cách nhóm không hợp lệ: agency, field hoặc procedure.")},
    )


class StatisticsQuery(serializers.Serializer):
    """The query parameters, for the schema (the form above checks them)."""

    period = serializers.ChoiceField(PeriodKind.choices, required=False, help_text="Kỳ báo cáo; mặc định: tháng này.")
    year = serializers.IntegerField(required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    month = serializers.IntegerField(required=False, min_value=1, max_value=12)
    quarter = serializers.IntegerField(required=False, min_value=1, max_value=4)
    date_from = serializers.DateField(required=False, help_text="Kỳ tùy chọn: ngày đầu (YYYY-MM-DD).")
    date_to = serializers.DateField(required=False, help_text="Kỳ tùy chọn: ngày cuối (YYYY-MM-DD).")
    agency = serializers.IntegerField(required=False, help_text="Mã số (id) của cơ quan.")
    agency_level = serializers.ChoiceField(AgencyLevel.choices, required=False)
    field = serializers.IntegerField(required=False, help_text="Mã số (id) của lĩnh vực.")
    procedure = serializers.CharField(required=False, max_length=30, help_text="Mã thủ tục, ví dụ 1.001612.")
    level = serializers.ChoiceField(OnlineLevel.choices, required=False, help_text="Mức độ trực tuyến: 2, 3, 4.")
    channel = serializers.ChoiceField(
        Channel.choices, required=False, help_text="1 trực tiếp, 2 trực tuyến, 3 bưu chính."
    )
    group = serializers.ChoiceField(GROUP_CHOICES, required=False, help_text="Mỗi dòng là một cơ quan (mặc định).")


class FiguresSerializer(serializers.Serializer):
    received_total = serializers.IntegerField(help_text="Tiếp nhận: mới trong kỳ và kỳ trước chuyển sang.")
    received_online = serializers.IntegerField()
    received_direct = serializers.IntegerField(help_text="Trực tiếp và qua bưu chính.")
    carried_over = serializers.IntegerField()
    resolved = serializers.IntegerField()
    early = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text="(trước hạn + đúng hạn) / đã giải quyết, %."
    )
    refused = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    in_progress_within = serializers.IntegerField()
    overdue = serializers.IntegerField()
    average_processing_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    paid_online_count = serializers.IntegerField()
    paid_online_amount = serializers.IntegerField(help_text="Đồng.")
    rated_very_satisfied = serializers.IntegerField()
    rated_satisfied = serializers.IntegerField()
    rated_unsatisfied = serializers.IntegerField()


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(PeriodKind.choices)
    label = serializers.CharField()
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    reckoned_to = serializers.DateField(help_text="Ngày tính số hồ sơ đang giải quyết: cuối kỳ, hoặc hôm nay.")


class StatisticsRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    code = serializers.CharField()
    name = serializers.CharField(source="label")
    figures = FiguresSerializer()


class StatisticsSerializer(serializers.Serializer):
    period = PeriodSerializer()
    group = serializers.ChoiceField(GROUP_CHOICES)
    total = FiguresSerializer()
    rows = StatisticsRowSerializer(many=True)


class KeptJSONRenderer(JSONRenderer):
    """JSON; an answer kept already rendered (bytes) goes out as it is."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return super().render(data, accepted_media_type, renderer_context)


class StatisticsView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    # Open data: JSON only (no browsable page), so that the answer is kept as the bytes sent (rendering the figures
    # of every agency cost more than the rest of a kept answer).
    renderer_classes = [KeptJSONRenderer]

    @extend_schema(
        summary="Tình hình giải quyết hồ sơ (dữ liệu mở)",
        description=(
            "Số liệu tổng hợp của một kỳ (tháng, quý, năm hoặc tùy chọn), theo cơ quan, lĩnh vực hoặc thủ tục: tiếp "
            "nhận (trực tuyến, trực tiếp và bưu chính, kỳ trước chuyển sang), đã giải quyết (trước hạn, đúng hạn, quá "
            "hạn, tỷ lệ đúng hạn), đang giải quyết (trong hạn, quá hạn, tính đến hết ngày cuối kỳ hoặc hôm nay). "
            "Không có thông tin cá nhân. Bộ lọc sai trả 400 `{code, detail}`."
        ),
        parameters=[StatisticsQuery],
        responses={
            200: StatisticsSerializer,
            400: OpenApiResponse(ApiErrorSerializer, description="Kỳ báo cáo hoặc bộ lọc không hợp lệ (`invalid`)."),
        },
    )
    def get(self, request):
        today = timezone.localdate()

        def answer() -> dict:
            form = StatisticsApiForm(request.query_params, today=today)
            if not form.is_valid():
                raise exceptions.ValidationError(form.error_text())  # nothing kept
            period, group = form.chosen_period, form.cleaned_data.get("group") or "agency"
            rows = selectors.figures_by(period=period, filters=form.filters, today=today, group=group)
            payload = {
                "period": {
                    "kind": period.kind,
                    "label": period.label,
                    "first_day": period.first_day,
                    "last_day": period.last_day,
                    "reckoned_to": period.reckoned_to(today),
                },
                "group": group,
                "total": selectors.figures_sum(rows),
                "rows": rows,
            }
            return {"json": JSONRenderer().render(StatisticsSerializer(payload).data)}

        # Kept per generation of the statistics, as the pages are (reporting.pagecache), as the JSON sent; keyed by
        # the filters as given: only a valid query's answer is ever kept, so one found needs no checking again.
        query = pagecache.form_query(StatisticsApiForm.base_fields, request.query_params).urlencode()
        return Response(pagecache.kept(pagecache.page_key("api", get_language(), today, query), answer)["json"])
