"""Cash or card at the one-stop desk: the reception officer takes the money and records it (no messages to
exchange). A refund is handed back at the desk too."""

from django.utils.translation import gettext_lazy as _

from .base import PaymentProvider, RefundAnswer, RefundOutcome
from .registry import register


@register
class CounterProvider(PaymentProvider):
    name = "counter"
    label = _("Nộp tại Bộ phận một cửa")

    def refund(self, *, payment, amount: int, requested_by: str) -> RefundAnswer:
        return RefundAnswer(outcome=RefundOutcome.MANUAL, detail="Hoàn trả tại Bộ phận một cửa")
