"""The sandboxes of local development (`make run`) and the tests, and the portal's payment providers pointed at
them: the sandbox bank (sandboxes/bank) plays VNPay at /sandbox/ngan-hang/, with its own merchant code and secret.
local.py and test.py import this; production.py refuses a sandbox mounted or configured."""

import os

from .base import INSTALLED_APPS, PORTAL_BASE_URL, VNPAY, env_list

SANDBOX_BANK_TMN_CODE = os.environ.get("SANDBOX_BANK_TMN_CODE", "DVCSBX01")
# Known to anyone who reads this file: the sandbox pays nothing, and production refuses it.
SANDBOX_BANK_SECRET = os.environ.get("SANDBOX_BANK_SECRET", "sandbox-bank-secret-for-local-use-only")  # noqa: S105

SANDBOXES_MOUNTED = True
if "sandboxes.bank" not in INSTALLED_APPS:
    INSTALLED_APPS = [*INSTALLED_APPS, "sandboxes.bank"]
# The bank's side: the merchants it knows, each with its secret and the IPN address it calls (registered with
# the bank, as a province registers its IPN URL with VNPay).
SANDBOX_BANK = {
    "MERCHANTS": {
        SANDBOX_BANK_TMN_CODE: {
            "SECRET": SANDBOX_BANK_SECRET,
            "IPN_URL": f"{PORTAL_BASE_URL}/thanh-toan/vnpay/ipn/",
        },
    },
}

# The portal's side: VNPay enabled and pointed at the sandbox bank, unless a merchant code is configured.
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS", "vnpay,counter")
if not VNPAY["TMN_CODE"]:
    VNPAY = {
        **VNPAY,
        "TMN_CODE": SANDBOX_BANK_TMN_CODE,
        "HASH_SECRET": SANDBOX_BANK_SECRET,
        "PAYMENT_URL": f"{PORTAL_BASE_URL}/sandbox/ngan-hang/paymentv2/vpcpay.html",
        "API_URL": f"{PORTAL_BASE_URL}/sandbox/ngan-hang/merchant_webapi/api/transaction",
    }
