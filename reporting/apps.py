from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Thống kê, báo cáo"

    def ready(self):
        from dossiers.panels import register_panel

        from .panels import applicant_rating_panel

        register_panel("applicant", applicant_rating_panel)
