from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ProceduresConfig(AppConfig):
    name = "procedures"
    verbose_name = "Danh mục thủ tục hành chính"

    def ready(self):
        from .calendar import forget_kept_calendar_on_commit
        from .models import CalendarDay

        # A day saved or deleted (the admin, a shell) shows at once on this process's pages (procedures.calendar).
        post_save.connect(forget_kept_calendar_on_commit, sender=CalendarDay, dispatch_uid="forget_kept_calendar_save")
        post_delete.connect(
            forget_kept_calendar_on_commit, sender=CalendarDay, dispatch_uid="forget_kept_calendar_delete"
        )
