"""The sandboxes of local development (`make run`) and the tests, and the portal's payment providers pointed at
them: the sandbox bank (sandboxes/bank) plays VNPay at /sandbox/ngan-hang/, with its own merchant code and secret.
local.py and test.py import this; production.py refuses a sandbox mounted or configured."""

import os

from .base import INSTALLED_APPS, PORTAL_BASE_URL, VNPAY, VNPOST, env_list

SANDBOX_BANK_TMN_CODE = os.environ.get("SANDBOX_BANK_TMN_CODE", "DVCSBX01")
# Known to anyone who reads this file: the sandbox pays nothing, and production refuses it.
SANDBOX_BANK_SECRET = os.environ.get("SANDBOX_BANK_SECRET", "sandbox-bank-secret-for-local-use-only")  # noqa: S105

SANDBOXES_MOUNTED = True
INSTALLED_APPS = [
    *INSTALLED_APPS,
    *(app for app in ("sandboxes.bank", "sandboxes.carrier") if app not in INSTALLED_APPS),
]
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

# The sandbox carrier (sandboxes/carrier) plays VNPost at /sandbox/buu-dien/: the customers it knows, each with its
# API token, webhook secret and the address it notifies; the portal's VNPost adapter points at it unless a
# customer code is configured.
SANDBOX_CARRIER_CUSTOMER_CODE = os.environ.get("SANDBOX_CARRIER_CUSTOMER_CODE", "DVCBC01")
SANDBOX_CARRIER_TOKEN = os.environ.get("SANDBOX_CARRIER_TOKEN", "sandbox-carrier-token-for-local-use-only")  # noqa: S105
SANDBOX_CARRIER_SECRET = os.environ.get("SANDBOX_CARRIER_SECRET", "sandbox-carrier-secret-for-local-use-only")  # noqa: S105
SANDBOX_CARRIER = {
    "CUSTOMERS": {
        SANDBOX_CARRIER_CUSTOMER_CODE: {
            "TOKEN": SANDBOX_CARRIER_TOKEN,
            "SECRET": SANDBOX_CARRIER_SECRET,
            "WEBHOOK_URL": f"{PORTAL_BASE_URL}/buu-chinh/thong-bao/vnpost/",
        },
    },
}
POSTAL_CARRIERS = env_list("POSTAL_CARRIERS", "vnpost")
if not VNPOST["CUSTOMER_CODE"]:
    VNPOST = {
        **VNPOST,
        "CUSTOMER_CODE": SANDBOX_CARRIER_CUSTOMER_CODE,
        "API_TOKEN": SANDBOX_CARRIER_TOKEN,
        "WEBHOOK_SECRET": SANDBOX_CARRIER_SECRET,
        "API_URL": f"{PORTAL_BASE_URL}/sandbox/buu-dien/api",
    }
