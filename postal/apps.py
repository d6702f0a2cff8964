from django.apps import AppConfig


class PostalConfig(AppConfig):
    name = "postal"
    verbose_name = "Bưu chính công ích"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from dossiers.intake_links import register_intake_link
        from dossiers.panels import register_panel, register_public_section
        from dossiers.parcels import register_result_with_post
        from dossiers.postage import register_postage_quoter

        from . import carriers, panels, pickups, public, services  # noqa: F401 (each carrier module registers itself)

        register_panel("applicant", panels.applicant_panel)
        register_panel("officer", panels.officer_panel)
        register_public_section(public.section)
        register_intake_link(pickups.intake)
        register_postage_quoter(services.postage_quote)
        register_result_with_post(services.result_with_post)
