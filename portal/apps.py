from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Người dùng và hệ thống"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .roles import sync_role_groups
        from .signals import record_sign_in

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="portal.sync_role_groups")
        user_logged_in.connect(record_sign_in, dispatch_uid="portal.record_sign_in")
