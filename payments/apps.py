from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Thanh toán"

    def ready(self):
        from . import providers  # noqa: F401 (each provider module registers itself)
