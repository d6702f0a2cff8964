"""The daily summary in the admin: read-only rows and one action, recompute the days of the selected rows (filter a
month by the date hierarchy, select all, run it). Ratings are not in the admin: nobody reads who rated what."""

from django.contrib import admin, messages
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import DailyDossierStat


@admin.register(DailyDossierStat)
class DailyDossierStatAdmin(admin.ModelAdmin):
    list_display = [
        "day",
        "agency",
        "procedure",
        "channel",
        "received",
        "finished_early",
        "finished_on_time",
        "finished_late",
    ]
    list_filter = ["channel", "online_level", "agency__level"]
    list_select_related = ["agency", "procedure"]
    date_hierarchy = "day"
    search_fields = ["procedure__code", "agency__code"]
    actions = ["recompute_days"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Tính lại số liệu các ngày từ dòng đầu đến dòng cuối đã chọn"), permissions=["view"])
    def recompute_days(self, request, queryset):
        span = queryset.aggregate(first=Min("day"), last=Max("day"))
        result = services.statistics_recompute_period(first_day=span["first"], last_day=span["last"])
        days = (span["last"] - span["first"]).days + 1
        self.message_user(
            request,
            ngettext(
                "Đã tính lại %(days)d ngày (từ %(first)s): %(rows)d dòng số liệu.",
                "Đã tính lại %(days)d ngày (từ %(first)s đến %(last)s): %(rows)d dòng số liệu.",
                days,
            )
            % {
                "days": days,
                "first": span["first"].strftime("%d/%m/%Y"),
                "last": span["last"].strftime("%d/%m/%Y"),
                "rows": result.rows,
            },
            messages.SUCCESS,
        )
