"""The statistics filters (GET, the pages and the API alike) and the satisfaction forms."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import DateFilterField
from procedures.constants import AgencyLevel, OnlineLevel
from procedures.forms import channel_filter_field
from procedures.models import Agency, Field, Procedure

from .constants import RATING_COMMENT_MAX_LENGTH, PeriodKind, RatingLevel
from .periods import MAX_CUSTOM_DAYS, Period, ReportFilters

FIRST_YEAR, LAST_YEAR = 2000, 2100


class StatisticsFilterForm(forms.Form):
    """The period (a month, a quarter, a year or two dates) and the filters. An empty form means this month."""

    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=PeriodKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Kỳ báo cáo không hợp lệ: chọn tháng, quý, năm hoặc tùy chọn.")},
    )
    year = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": _("Năm phải là một số."),
            "min_value": _("Năm phải từ %(limit_value)s trở đi."),
            "max_value": _("Năm phải trước %(limit_value)s."),
        },
    )
    month = forms.TypedChoiceField(
        label=_("Tháng"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(m, str(m)) for m in range(1, 13)]],
        error_messages={"invalid_choice": _("Tháng phải từ 1 đến 12.")},
    )
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(q, str(q)) for q in range(1, 5)]],
        error_messages={"invalid_choice": _("Quý phải từ 1 đến 4.")},
    )
    date_from = DateFilterField(
        label=_("Từ ngày"),
        invalid_message=_("Ngày bắt đầu không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày."),
    )
    date_to = DateFilterField(
        label=_("Đến ngày"),
        invalid_message=_("Ngày kết thúc không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày."),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"),
        queryset=Agency.objects.filter(is_active=True),
        required=False,
        empty_label=_("Tất cả cơ quan"),
        error_messages={"invalid_choice": _("Không có cơ quan này.")},
    )
    agency_level = forms.ChoiceField(
        label=_("Cấp cơ quan"),
        required=False,
        choices=[("", _("Tất cả các cấp")), *AgencyLevel.choices],
        error_messages={"invalid_choice": _("Cấp cơ quan không hợp lệ.")},
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=Field.objects.all(),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
        error_messages={"invalid_choice": _("Không có lĩnh vực này.")},
    )
    procedure = forms.CharField(
        label=_("Mã thủ tục"),
        required=False,
        max_length=30,
        help_text=_("Ví dụ: 1.001612"),
    )
    level = forms.TypedChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
        error_messages={"invalid_choice": _("Mức độ trực tuyến không hợp lệ.")},
    )
    channel = channel_filter_field()

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_procedure(self) -> Procedure | None:
        code = self.cleaned_data["procedure"].strip()
        if not code:
            return None
        procedure = Procedure.objects.filter(code=code).only("id", "code", "name").first()
        if procedure is None:
            raise ValidationError(_("Không có thủ tục mã %(code)s."), params={"code": code}, code="invalid")
        return procedure

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        kind = data.get("period") or PeriodKind.MONTH
        year = data.get("year") or self.today.year
        if kind == PeriodKind.MONTH:
            data["period_value"] = Period.month(year, data.get("month") or self.today.month)
        elif kind == PeriodKind.QUARTER:
            data["period_value"] = Period.quarter(year, data.get("quarter") or (self.today.month - 1) // 3 + 1)
        elif kind == PeriodKind.YEAR:
            data["period_value"] = Period.year(year)
        else:
            first, last = data.get("date_from"), data.get("date_to")
            if first is None or last is None:
                raise ValidationError(_("Kỳ tùy chọn cần cả ngày bắt đầu và ngày kết thúc."), code="invalid")
            if first > last:
                raise ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."), code="invalid")
            if (last - first).days >= MAX_CUSTOM_DAYS:
                raise ValidationError(_("Kỳ tùy chọn dài nhất 10 năm."), code="invalid")
            data["period_value"] = Period.custom(first, last)
        return data

    @property
    def chosen_period(self) -> Period:
        return self.cleaned_data["period_value"]

    @property
    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            agency_id=data["agency"].pk if data.get("agency") else None,
            agency_level=data.get("agency_level") or None,
            field_id=data["field"].pk if data.get("field") else None,
            procedure_id=data["procedure"].pk if data.get("procedure") else None,
            online_level=data.get("level"),
            channel=data.get("channel"),
        )

    def error_text(self) -> str:
        """Every error in one sentence (the API's `detail`)."""
        return " ".join(str(message) for messages in self.errors.values() for message in messages)


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Mức độ hài lòng của bạn"),
        coerce=int,
        choices=RatingLevel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn mức độ hài lòng."),
            "invalid_choice": _("Mức độ hài lòng không hợp lệ."),
        },
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        required=False,
        max_length=RATING_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Góp ý dài nhất %(limit_value)d ký tự (hiện có %(show_value)d).")},
    )


class KioskRatingForm(RatingForm):
    """At the kiosk: the dossier's code and the second factor of the public lookup, then the rating."""

    code = forms.CharField(label=_("Mã hồ sơ"), max_length=40)
    second_factor = forms.CharField(
        label=_("4 số cuối CCCD/mã số thuế hoặc số điện thoại"),
        max_length=12,
        # Never written back into the page: the next person at the kiosk must not read it.
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    field_order = ["code", "second_factor", "level", "comment"]
