"""The statistics pages: the public "Tình hình giải quyết hồ sơ", an agency leader's dashboard, the province's
dashboard, the service-index scorecard. Each page builds its tables (reporting.tables) once; `?export=csv|xlsx&
table=<slug>` answers one of them as a file instead of the page, with the same filters."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from procedures.constants import AgencyLevel

from . import charts, exports, scorecard, selectors
from .forms import StatisticsFilterForm
from .periods import Period, ReportFilters
from .tables import (
    Table,
    at_risk_table,
    late_officers_table,
    late_procedures_table,
    monthly_table,
    periodic_table,
    rating_comments_table,
)

# Agencies of the province's own tier on the province dashboard; the rest (communes, districts before 07/2025) below.
PROVINCE_TIER = frozenset({AgencyLevel.PROVINCE, AgencyLevel.DEPARTMENT, AgencyLevel.UNIT})


def _filter_form(request, *, fixed_agency: bool = False) -> StatisticsFilterForm:
    form = StatisticsFilterForm(request.GET, today=timezone.localdate())
    if fixed_agency:
        del form.fields["agency"]
        del form.fields["agency_level"]
    return form


def _respond(request, template: str, context: dict, *, tables: list[Table], period: Period):
    """The page, or one of its tables as a file when the address asks (`export`, `table`)."""
    by_slug = {table.slug: table for table in tables}
    query = request.GET.copy()
    query.pop("export", None)
    query.pop("table", None)
    for table in tables:
        table.exports = {
            file_format: f"?{_with(query, table=table.slug, export=file_format)}" for file_format in exports.FORMATS
        }
    file_format = request.GET.get("export")
    if file_format is None:
        return render(request, template, {**context, "tables": by_slug, "period": period})
    table = by_slug.get(request.GET.get("table", ""))
    if file_format not in exports.FORMATS or table is None:
        raise Http404
    subtitle = _("Kỳ báo cáo: %(period)s (số liệu đến hết ngày %(day)s)") % {
        "period": period.label,
        "day": period.reckoned_to(timezone.localdate()).strftime("%d/%m/%Y"),
    }
    response = HttpResponse(
        exports.table_file(table, file_format=file_format, subtitle=subtitle),
        content_type=exports.FORMATS[file_format],
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"thong-ke-{table.slug}-{period.slug}.{file_format}"
    )
    return response


def _with(query, **values) -> str:
    query = query.copy()
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


def _invalid(request, template: str, form, **context):
    return render(request, template, {"form": form, "invalid": True, **context}, status=400)


@require_GET
def public_statistics(request):
    """Every agency's figures for the period chosen (this month by default) and for its year: aggregates only."""
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "reporting/public.html", form)
    today, period, filters = timezone.localdate(), form.chosen_period, form.filters
    year = period.whole_year()
    by_agency = selectors.figures_by(period=period, filters=filters, today=today, group="agency")
    year_by_agency = selectors.figures_by(period=year, filters=filters, today=today, group="agency")
    total, year_total = selectors.figures_sum(by_agency), selectors.figures_sum(year_by_agency)
    tables = [
        periodic_table(
            slug="agencies", title=period.label, first=_("Cơ quan"), rows=by_agency, total=total if by_agency else None
        ),
        periodic_table(
            slug="agencies_year",
            title=year.label,
            first=_("Cơ quan"),
            rows=year_by_agency,
            total=year_total if year_by_agency else None,
        ),
    ]
    chart = charts.rate_chart(
        title=_("Tỷ lệ giải quyết đúng hạn theo cơ quan, %(period)s") % {"period": period.label},
        items=[(row.label, row.figures.on_time_rate) for row in by_agency],
    )
    context = {
        "form": form,
        "total": total,
        "year": year,
        "year_total": year_total,
        "chart": chart,
        "dashboards": selectors.leads_agency(request.user) or selectors.sees_province(request.user),
    }
    return _respond(request, "reporting/public.html", context, tables=tables, period=period)


def _dashboard_agency(request, form):
    """The agency a dashboard is about: a leader's own; the one chosen (or one's own) for those who see the province.
    Anyone else is refused."""
    user = request.user
    if selectors.sees_province(user):
        chosen = form.cleaned_data.get("agency") if form.is_valid() else None
        return chosen or user.agency
    if selectors.leads_agency(user):
        return user.agency
    raise PermissionDenied


@login_required
@require_GET
def agency_dashboard(request):
    """An agency leader's dashboard: today's workload, the on-time rate by month, where the late dossiers are, and
    the dossiers at risk before their deadline."""
    province = selectors.sees_province(request.user)
    form = _filter_form(request, fixed_agency=not province)
    agency = _dashboard_agency(request, form)
    if not form.is_valid():
        return _invalid(request, "reporting/agency.html", form, agency=agency)
    if agency is None:  # a province viewer without an agency of its own chooses one
        return render(request, "reporting/agency.html", {"form": form, "agency": None, "choose": True})
    now, today, period = timezone.now(), timezone.localdate(), form.chosen_period
    filters = ReportFilters(**{**form.filters.__dict__, "agency_id": agency.pk, "agency_level": None})
    horizon = selectors.dashboard_horizon(now=now)
    by_procedure = selectors.figures_by(period=period, filters=filters, today=today, group="procedure")
    months = selectors.figures_by_month(period=period.whole_year(), filters=filters, today=today)
    at_risk = selectors.dossiers_at_risk(agency=agency, now=now, horizon=horizon)
    total = selectors.figures_sum(by_procedure)
    tables = [
        periodic_table(
            slug="procedures",
            title=_("Kết quả giải quyết theo thủ tục, %(period)s") % {"period": period.label},
            first=_("Thủ tục"),
            rows=by_procedure,
            total=total if by_procedure else None,
        ),
        monthly_table(rows=months),
        late_procedures_table(rows=selectors.most_late(by_procedure)),
        late_officers_table(rows=selectors.late_by_officer(agency=agency, period=period)),
        at_risk_table(dossiers=at_risk, now=now),
        rating_comments_table(rows=selectors.rating_comments(agency=agency, period=period)),
    ]
    context = {
        "form": form,
        "agency": agency,
        "total": total,
        "workload": selectors.agency_workload(agency=agency, now=now, horizon=horizon),
        "chart": charts.rate_chart(
            title=_("Tỷ lệ giải quyết đúng hạn theo tháng, %(year)s") % {"year": period.whole_year().label},
            items=[(row.label, row.figures.on_time_rate) for row in months],
        ),
        "province": province,
    }
    return _respond(request, "reporting/agency.html", context, tables=tables, period=period)


@login_required
@require_GET
def province_dashboard(request):
    """Every agency side by side: the province's own tier, then the communes; and the fields."""
    if not selectors.sees_province(request.user):
        raise PermissionDenied
    form = _filter_form(request)
    if not form.is_valid():
        return _invalid(request, "reporting/province.html", form)
    today, period, filters = timezone.localdate(), form.chosen_period, form.filters
    by_agency = selectors.figures_by(period=period, filters=filters, today=today, group="agency")
    by_field = selectors.figures_by(period=period, filters=filters, today=today, group="field")
    upper = [row for row in by_agency if row.extra["agency__level"] in PROVINCE_TIER]
    communes = [row for row in by_agency if row.extra["agency__level"] not in PROVINCE_TIER]
    total = selectors.figures_sum(by_agency)
    tables = [
        periodic_table(
            slug="agencies",
            title=_("Sở, ban, ngành và cơ quan cấp tỉnh"),
            first=_("Cơ quan"),
            rows=upper,
            total=selectors.figures_sum(upper) if upper else None,
        ),
        periodic_table(
            slug="communes",
            title=_("Cấp xã"),
            first=_("Cơ quan"),
            rows=communes,
            total=selectors.figures_sum(communes) if communes else None,
        ),
        periodic_table(
            slug="fields",
            title=_("Theo lĩnh vực"),
            first=_("Lĩnh vực"),
            rows=by_field,
            total=total if by_field else None,
        ),
    ]
    chart = charts.rate_chart(
        title=_("Tỷ lệ giải quyết đúng hạn theo cơ quan, %(period)s") % {"period": period.label},
        items=[(row.label, row.figures.on_time_rate) for row in by_agency],
    )
    context = {"form": form, "total": total, "chart": chart}
    return _respond(request, "reporting/province.html", context, tables=tables, period=period)


@login_required
@require_GET
def agency_scorecard(request):
    """The service index of an agency (Decision 766), indicator by indicator, for a leader or the province."""
    province = selectors.sees_province(request.user)
    form = _filter_form(request, fixed_agency=not province)
    agency = _dashboard_agency(request, form)
    if not form.is_valid():
        return _invalid(request, "reporting/scorecard.html", form, agency=agency)
    if agency is None:
        return render(request, "reporting/scorecard.html", {"form": form, "agency": None, "choose": True})
    today, period = timezone.localdate(), form.chosen_period
    filters = ReportFilters(**{**form.filters.__dict__, "agency_id": agency.pk, "agency_level": None})
    figures = selectors.figures_total(period=period, filters=filters, today=today)
    context = {
        "form": form,
        "agency": agency,
        "period": period,
        "groups": scorecard.agency_scorecard(agency=agency, period=period, figures=figures),
        "province": province,
    }
    return render(request, "reporting/scorecard.html", context)
