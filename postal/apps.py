from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dossiers.panels import register_panel, register_public_section

        from . import carriers, panels, public  # noqa: F401 (each carrier module registers itself)

        register_panel("applicant", panels.applicant_panel)
        register_panel("officer", panels.officer_panel)
        register_public_section(public.section)
