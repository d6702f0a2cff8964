from django.core.management.base import BaseCommand
from django.db import transaction

from dossiers.deadlines import at_risk_refresh


class Command(BaseCommand):
    help = (
        "Tính lại thời điểm hồ sơ bắt đầu có nguy cơ trễ hạn (sau khi đổi STEP_TIME_SHARES hoặc DEADLINE_RISK_SHARE, "
        "hoặc sau khi ghi hồ sơ không qua các nghiệp vụ)."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            changed = at_risk_refresh()
        self.stdout.write(self.style.SUCCESS(f"Đã tính lại {changed} hồ sơ."))
