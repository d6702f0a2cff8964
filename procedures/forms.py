from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import AgencyLevel, Channel, OnlineLevel
from .selectors import agencies_with_procedures, fields_with_procedures


def channel_filter_field() -> forms.TypedChoiceField:
    """The submission channel as a filter (officer queues, statistics): any, or one channel by its national code."""
    return forms.TypedChoiceField(
        label=_("Hình thức nộp"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả hình thức")), *Channel.choices],
        error_messages={"invalid_choice": _("Hình thức nộp không hợp lệ.")},
    )


class CatalogueFilterForm(forms.Form):
    """The catalogue's search box and facets (GET); an unknown value is ignored, not an error page."""

    q = forms.CharField(label=_("Tìm thủ tục"), required=False, max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=None, required=False, to_field_name="code", empty_label=_("Tất cả cơ quan")
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"), queryset=None, required=False, to_field_name="code", empty_label=_("Tất cả lĩnh vực")
    )
    level = forms.ChoiceField(
        label=_("Cấp thực hiện"), required=False, choices=[("", _("Tất cả các cấp")), *AgencyLevel.choices]
    )
    online_level = forms.TypedChoiceField(
        label=_("Mức độ trực tuyến"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả mức độ")), *OnlineLevel.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_with_procedures()
        self.fields["field"].queryset = fields_with_procedures()

    def filters(self) -> dict:
        """The valid filters as keyword arguments for `procedure_list_public`."""
        self.is_valid()  # cleaned_data then holds the fields that are valid
        valid = self.cleaned_data
        return {
            "query": valid.get("q") or "",
            "agency": valid.get("agency"),
            "field": valid.get("field"),
            "agency_level": valid.get("level") or "",
            "online_level": valid.get("online_level"),
        }
