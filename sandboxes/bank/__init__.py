"""A sandbox bank that plays VNPay (merchant protocol 2.1.0): its payment page, the browser's return, the IPN call
to the merchant, and the merchant API's querydr and refund. See docs/payments.md."""
