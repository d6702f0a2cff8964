from django.core.management.base import BaseCommand
from django.db import transaction

from procedures.demo import load_demo


class Command(BaseCommand):
    help = "Tải dữ liệu mẫu: cơ quan, lĩnh vực, thủ tục và tài khoản mẫu (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = load_demo()
        self.stdout.write(self.style.SUCCESS(str(summary)))
