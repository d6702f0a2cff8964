from django.core.management.base import BaseCommand

from procedures.demo import demo_accounts_table


class Command(BaseCommand):
    help = "In danh sách tài khoản mẫu (vai trò, thư điện tử, CCCD hoặc mã số thuế, mật khẩu)."

    def handle(self, *args, **options):
        self.stdout.write(demo_accounts_table())
