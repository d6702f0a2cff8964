from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reporting import services


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Ngày không hợp lệ: {value} (dạng năm-tháng-ngày, ví dụ 2021-01-31).") from error


class Command(BaseCommand):
    help = (
        "Tính lại số liệu thống kê hồ sơ: toàn bộ, hoặc các ngày từ --from đến --to "
        "(chạy lại nhiều lần, hay cùng lúc với công việc định kỳ, đều không sao)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="first_day", type=_day, help="Ngày đầu (năm-tháng-ngày)")
        parser.add_argument("--to", dest="last_day", type=_day, help="Ngày cuối (năm-tháng-ngày)")

    def handle(self, *args, first_day=None, last_day=None, **options):
        if (first_day is None) != (last_day is None):
            raise CommandError("Cần cả --from và --to, hoặc không có cả hai (tính lại toàn bộ).")
        if first_day is None:
            result = services.statistics_recompute_full()
            self.stdout.write(self.style.SUCCESS(f"Đã tính lại toàn bộ: {result.rows} dòng số liệu."))
            return
        if first_day > last_day:
            raise CommandError("Ngày đầu phải trước hoặc bằng ngày cuối.")
        result = services.statistics_recompute_period(first_day=first_day, last_day=last_day)
        span = f"từ {first_day:%d/%m/%Y} đến {last_day:%d/%m/%Y}"
        self.stdout.write(self.style.SUCCESS(f"Đã tính lại {span}: {result.rows} dòng số liệu."))
