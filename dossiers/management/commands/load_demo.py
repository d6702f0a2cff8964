from django.core.management.base import BaseCommand
from django.db import transaction

from dossiers.demo import load_demo_dossiers
from procedures.demo import load_demo


class Command(BaseCommand):
    help = "Tải dữ liệu mẫu: cơ quan, thủ tục, tài khoản và vài hồ sơ mẫu (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        with transaction.atomic():
            summary = load_demo()
            dossiers = load_demo_dossiers()
        self.stdout.write(self.style.SUCCESS(f"{str(summary).rstrip('.')}; hồ sơ mẫu: {dossiers} mới tạo."))
