"""The filters of GET /api/v1/dossiers/."""

from datetime import datetime, time, timedelta

import django_filters
from django.utils import timezone

from ..constants import Channel, DossierStatus
from ..models import Dossier
from ..selectors import (
    dossier_filter,
    dossier_filter_overdue,
)


def _start_of_day(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


class DossierFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=[c for c in DossierStatus.choices if c[0] != DossierStatus.DRAFT])
    procedure = django_filters.CharFilter(field_name="procedure__code", help_text="Mã thủ tục")
    channel = django_filters.TypedChoiceFilter(choices=Channel.choices, coerce=int)
    overdue = django_filters.BooleanFilter(
        method="filter_overdue", help_text="Quá hạn: đang tính thời hạn và đã qua ngày hẹn trả."
    )
    due_after = django_filters.DateFilter(method="filter_from", field_name="due_at", help_text="Hẹn trả từ ngày")
    due_before = django_filters.DateFilter(method="filter_to", field_name="due_at", help_text="Hẹn trả đến ngày")
    received_after = django_filters.DateFilter(
        method="filter_from", field_name="received_at", help_text="Tiếp nhận từ ngày"
    )
    received_before = django_filters.DateFilter(
        method="filter_to", field_name="received_at", help_text="Tiếp nhận đến ngày"
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text="Mã hồ sơ (hoặc mấy số cuối), tên người nộp (có dấu hay không), CCCD, mã số thuế, điện thoại",
    )

    class Meta:
        model = Dossier
        fields = []

    def filter_overdue(self, queryset, name, value):
        return dossier_filter_overdue(queryset, overdue=value)

    def filter_from(self, queryset, name, value):
        # Dates are whole days in the portal's time zone, both ends included.
        return queryset.filter(**{f"{name}__gte": _start_of_day(value)})

    def filter_to(self, queryset, name, value):
        return queryset.filter(**{f"{name}__lt": _start_of_day(value + timedelta(days=1))})

    def filter_search(self, queryset, name, value):
        return dossier_filter(queryset, search=value)
