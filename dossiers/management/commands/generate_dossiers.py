from datetime import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = (
        "Tạo N hồ sơ giả lập (PostgreSQL COPY) cho đo hiệu năng; chỉ dùng trên cơ sở dữ liệu riêng để đo. "
        "Xem bench/generate_dossiers.py."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--end", type=datetime.fromisoformat, default=None)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--no-events", action="store_true")

    def handle(self, *args, count, days, end, seed, no_events, **options):
        from bench.generate_dossiers import generate

        if end is not None and end.tzinfo is None:
            end = end.replace(tzinfo=timezone.get_current_timezone())
        generate(count=count, days=days, end=end, seed=seed, events=not no_events, out=self.stdout)
