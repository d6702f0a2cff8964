from django.apps import AppConfig


class SandboxBankConfig(AppConfig):
    name = "sandboxes.bank"
    label = "sandbox_bank"
    verbose_name = "Ngân hàng thử nghiệm (sandbox)"
    default_auto_field = "django.db.models.BigAutoField"
