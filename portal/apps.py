from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Người dùng và hệ thống"

    def ready(self):
        from .roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self, dispatch_uid="portal.sync_role_groups")
