"""The statistics pages: the public "Tình hình giải quyết hồ sơ", an agency leader's dashboard, the province's
dashboard, the service-index scorecard. Each page builds its tables (reporting.tables) once; `?export=csv|xlsx&
table=<slug>` answers one of them as a file instead of the page, with the same filters. What a page shows of the
period is rendered once per generation of the statistics and kept (reporting.pagecache)."""

from functools import cached_property

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from procedures.constants import AgencyLevel

from . import charts, exports, pagecache, scorecard, selectors
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

# How long the agency dashboard's live part (today's workload, the dossiers at risk) is kept: a leader reads it
# as of the time printed with it (docs/decisions.md, "The agency dashboard's live part kept 30 seconds").
LIVE_SECONDS = 30

# Agencies of the province's own tier on the province dashboard; the rest (communes, districts before 07/2025) below.
PROVINCE_TIER = frozenset({AgencyLevel.PROVINCE, AgencyLevel.DEPARTMENT, AgencyLevel.UNIT})


class _FilterForm:
    """A page's filter form, built once and only when called: a kept page needs none (building one costs as much as
    the rest of a kept page). `fields`: the names of its fields, without building it."""

    FIXED_AGENCY = ("agency", "agency_level")  # not offered on a leader's pages: the agency is the leader's

    def __init__(self, request, *, fixed_agency: bool = False):
        self.request, self.fixed_agency = request, fixed_agency
        self.fields = [
            name for name in StatisticsFilterForm.base_fields if not (fixed_agency and name in self.FIXED_AGENCY)
        ]

    @cached_property
    def _form(self) -> StatisticsFilterForm:
        form = StatisticsFilterForm(self.request.GET, today=timezone.localdate())
        if self.fixed_agency:
            for name in self.FIXED_AGENCY:
                del form.fields[name]
        return form

    def __call__(self) -> StatisticsFilterForm:
        return self._form


def _figures_page(request, template: str, context: dict, *, form, key: tuple, fragment: str, build, live=None):
    """A statistics page: its filter form and the period's figures, which `build(form)` computes as (the context of
    `fragment`, the tables in it), rendered once per generation of the statistics and kept (reporting.pagecache,
    under `key`: the page and what it is about, with the filters as given); `live`: (a fragment, a function computing
    its context and tables), the page's live part, read from the dossiers, rendered and kept LIVE_SECONDS with the
    time it was read (printed by `template` as `live`). Or one of the tables as a file when the address asks
    (`export`, `table`), computed now. The form (`form()`, a `_FilterForm`) is built and checked only to compute:
    only a valid one's page is ever kept, so one found needs no checking again. Invalid filters: 400 with the form's
    messages."""
    query = pagecache.form_query(form.fields, request.GET)

    def checked() -> StatisticsFilterForm:
        if not form().is_valid():
            raise _Refused
        return form()

    try:
        if request.GET.get("export") is not None:
            figures_form = checked()
            live_tables = live[1]()[1] if live else []
            return _export(request, tables=[*live_tables, *build(figures_form)[1]], period=figures_form.chosen_period)

        def rendered() -> dict:
            figures_form = checked()
            figures, tables = build(figures_form)
            period = figures_form.chosen_period
            return {
                "filters": render_to_string("reporting/includes/filters.html", {"form": figures_form}),
                "figures": render_to_string(fragment, {**figures, "period": period, "tables": _linked(tables, query)}),
            }

        about = (*key, get_language(), timezone.localdate(), query.urlencode())
        parts = [pagecache.Part(pagecache.page_key(*about), rendered)]
        if live:
            live_fragment, compute_live = live

            def rendered_live() -> dict:
                live_context, live_tables = compute_live()
                live_context["tables"] = _linked(live_tables, query)
                return {"live": render_to_string(live_fragment, live_context)}

            parts.append(pagecache.Part(pagecache.page_key("live", *about), rendered_live, seconds=LIVE_SECONDS))
        kept, *kept_live = pagecache.kept_parts(*parts)
    except _Refused:
        return _invalid(request, template, form(), **context)
    return render(
        request,
        template,
        {
            **context,
            # rendered by our templates (escaped there): SafeStrings, kept as such
            "filters": kept["filters"],
            "figures": kept["figures"],
            "live": kept_live[0]["live"] if kept_live else "",
        },
    )


class _Refused(Exception):
    """The filters are invalid (the form says why)."""


def _linked(tables: list[Table], query) -> dict[str, Table]:
    """The tables by slug, each with the addresses of its files (the page's filters, `export`, `table`)."""
    for table in tables:
        table.exports = {
            file_format: f"?{_with(query, table=table.slug, export=file_format)}" for file_format in exports.FORMATS
        }
    return {table.slug: table for table in tables}


def _export(request, *, tables: list[Table], period: Period):
    """The table the address names (`table`) as a file (`export`: csv or xlsx); 404 for anything else."""
    file_format = request.GET.get("export")
    table = {table.slug: table for table in tables}.get(request.GET.get("table", ""))
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
    return render(request, template, {**context, "form": form, "invalid": True}, status=400)


@require_GET
def public_statistics(request):
    """Every agency's figures for the period chosen (this month by default) and for its year: aggregates only."""
    today = timezone.localdate()

    def build(form):
        period, filters = form.chosen_period, form.filters
        year = period.whole_year()
        by_agency = selectors.figures_by(period=period, filters=filters, today=today, group="agency")
        year_by_agency = selectors.figures_by(period=year, filters=filters, today=today, group="agency")
        total, year_total = selectors.figures_sum(by_agency), selectors.figures_sum(year_by_agency)
        tables = [
            periodic_table(
                slug="agencies",
                title=period.label,
                first=_("Cơ quan"),
                rows=by_agency,
                total=total if by_agency else None,
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
        return {"total": total, "year": year, "year_total": year_total, "chart": chart}, tables

    context = {"dashboards": selectors.leads_agency(request.user) or selectors.sees_province(request.user)}
    return _figures_page(
        request,
        "reporting/public.html",
        context,
        form=_FilterForm(request),
        key=("public",),
        fragment="reporting/includes/public_figures.html",
        build=build,
    )


def _dashboard_agency(request, form):
    """The agency a dashboard is about: a leader's own; the one chosen (or one's own) for those who see the province
    (`form()`: the filter form). Anyone else is refused."""
    user = request.user
    if selectors.sees_province(user):
        chosen = form().cleaned_data.get("agency") if form().is_valid() else None
        return chosen or user.agency
    if selectors.leads_agency(user):
        return user.agency
    raise PermissionDenied


@login_required
@require_GET
def agency_dashboard(request):
    """An agency leader's dashboard: today's workload and the dossiers at risk before their deadline (live), the
    on-time rate by month and where the late dossiers are (the period's, kept per generation of the statistics)."""
    province = selectors.sees_province(request.user)
    form = _FilterForm(request, fixed_agency=not province)
    agency = _dashboard_agency(request, form)
    if agency is None:  # a province viewer without an agency of its own chooses one
        if not form().is_valid():
            return _invalid(request, "reporting/agency.html", form(), agency=None)
        return render(request, "reporting/agency.html", {"form": form(), "agency": None, "choose": True})
    today = timezone.localdate()

    def build(form):
        period = form.chosen_period
        filters = ReportFilters(**{**form.filters.__dict__, "agency_id": agency.pk, "agency_level": None})
        by_procedure = selectors.figures_by(period=period, filters=filters, today=today, group="procedure")
        months = selectors.figures_by_month(period=period.whole_year(), filters=filters, today=today)
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
            rating_comments_table(rows=selectors.rating_comments(agency=agency, period=period)),
        ]
        chart = charts.rate_chart(
            title=_("Tỷ lệ giải quyết đúng hạn theo tháng, %(year)s") % {"year": period.whole_year().label},
            items=[(row.label, row.figures.on_time_rate) for row in months],
        )
        return {"total": total, "chart": chart}, tables

    def live():
        now = timezone.now()
        horizon = selectors.dashboard_horizon(now=now)
        workload = selectors.agency_workload(agency=agency, now=now, horizon=horizon)
        at_risk = selectors.dossiers_at_risk(agency=agency, now=now, horizon=horizon)
        return {"workload": workload, "updated_at": now}, [at_risk_table(dossiers=at_risk, now=now)]

    context = {"agency": agency, "province": province}
    return _figures_page(
        request,
        "reporting/agency.html",
        context,
        form=form,
        key=("agency", agency.pk, province),
        fragment="reporting/includes/agency_figures.html",
        build=build,
        live=("reporting/includes/agency_live.html", live),
    )


@login_required
@require_GET
def province_dashboard(request):
    """Every agency side by side: the province's own tier, then the communes; and the fields."""
    if not selectors.sees_province(request.user):
        raise PermissionDenied
    today = timezone.localdate()

    def build(form):
        period, filters = form.chosen_period, form.filters
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
        return {"total": total, "chart": chart}, tables

    return _figures_page(
        request,
        "reporting/province.html",
        {},
        form=_FilterForm(request),
        key=("province",),
        fragment="reporting/includes/province_figures.html",
        build=build,
    )


@login_required
@require_GET
def agency_scorecard(request):
    """The service index of an agency (Decision 766), indicator by indicator, for a leader or the province."""
    province = selectors.sees_province(request.user)
    form = _FilterForm(request, fixed_agency=not province)
    agency = _dashboard_agency(request, form)
    if agency is None:
        if not form().is_valid():
            return _invalid(request, "reporting/scorecard.html", form(), agency=None)
        return render(request, "reporting/scorecard.html", {"form": form(), "agency": None, "choose": True})
    today = timezone.localdate()

    def build(form):
        period = form.chosen_period
        filters = ReportFilters(**{**form.filters.__dict__, "agency_id": agency.pk, "agency_level": None})
        figures = selectors.figures_total(period=period, filters=filters, today=today)
        # The agency's whole (the fees and the electronic results are the agency's): the same figures unless other
        # filters narrow them.
        agency_only = ReportFilters(agency_id=agency.pk)
        whole = (
            figures
            if filters == agency_only
            else selectors.figures_total(period=period, filters=agency_only, today=today)
        )
        groups = scorecard.agency_scorecard(agency=agency, period=period, figures=figures, agency_figures=whole)
        return {"groups": groups}, []

    return _figures_page(
        request,
        "reporting/scorecard.html",
        {"agency": agency, "province": province},
        form=form,
        key=("scorecard", agency.pk, province),
        fragment="reporting/includes/scorecard_card.html",
        build=build,
    )
