from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán"

    def ready(self):
        from dossiers.panels import register_panel

        from . import panels, providers  # noqa: F401 (each provider module registers itself)

        register_panel("apply_review", panels.review_panel)
        register_panel("applicant", panels.applicant_panel)
        register_panel("applicant", panels.postage_panel)
        register_panel("officer", panels.officer_panel)
