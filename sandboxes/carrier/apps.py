from django.apps import AppConfig


class SandboxCarrierConfig(AppConfig):
    name = "sandboxes.carrier"
    label = "sandbox_carrier"
    verbose_name = "Bưu điện thử nghiệm (sandbox)"
    default_auto_field = "django.db.models.BigAutoField"
