from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_forms import ProcedureAdminForm, RequiredDocumentAdminForm, RequiredDocumentFormSet
from .models import Agency, CalendarDay, Commune, Field, Procedure, Province, RequiredDocument
from .selectors import procedure_list_for_admin
from .services import procedure_save


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent", "commune"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    """The communes and wards a postal address is chosen from; deactivate a unit rather than delete it (addresses
    already written keep naming it)."""

    list_display = ["code", "name", "kind", "province", "is_active"]
    list_filter = ["province", "kind", "is_active"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


class RequiredDocumentInline(admin.StackedInline):
    model = RequiredDocument
    form = RequiredDocumentAdminForm
    formset = RequiredDocumentFormSet
    extra = 0
    fields = [
        "position",
        "name",
        "description",
        "is_required",
        "original_copies",
        "copy_copies",
        "accepted_file_types",
        "template",
    ]


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    """Agency administrators see and edit only their own agency's procedures."""

    list_display = ["code", "name", "agency", "field", "online_level", "processing_time", "fee", "is_active"]
    list_filter = ["is_active", "online_level", "agency__level", "field", "agency"]
    search_fields = ["code", "name", "search_text"]
    list_select_related = ["agency", "field"]
    autocomplete_fields = ["field", "agency"]
    form = ProcedureAdminForm
    inlines = [RequiredDocumentInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "field", "agency", "online_level", "is_active", "is_featured"]}),
        (
            _("Thời hạn và phí"),
            {
                "fields": [
                    "processing_time",
                    "processing_time_unit",
                    "cutoff_time",
                    "fee",
                    "fee_notes",
                    "fee_timing",
                    "fee_refundable",
                ]
            },
        ),
        (
            _("Cách nộp và nhận kết quả"),
            {
                "fields": [
                    "accepts_online",
                    "accepts_counter",
                    "accepts_postal",
                    "delivers_at_counter",
                    "delivers_online",
                    "delivers_by_post",
                ]
            },
        ),
        (
            _("Nội dung"),
            {
                "fields": [
                    "description",
                    "applicant_requirements",
                    "result_description",
                    "legal_basis",
                ]
            },
        ),
        (_("Thông tin người nộp khai"), {"fields": ["applicant_fields"]}),
    ]

    def get_queryset(self, request):
        return procedure_list_for_admin(user=request.user, queryset=super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency" and not request.user.is_superuser:
            kwargs["queryset"] = Agency.objects.filter(pk=request.user.agency_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_autocomplete_fields(self, request):
        # An agency administrator picks from one agency: a plain select shows just that one.
        if request.user.is_superuser:
            return self.autocomplete_fields
        return ["field"]

    def save_model(self, request, obj, form, change):
        procedure_save(procedure=obj)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]
