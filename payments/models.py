# Payments arrive with the fees issue (gateways, signed callbacks, receipts).
