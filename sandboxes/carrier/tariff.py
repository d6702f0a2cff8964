"""The sandbox carrier's price list for documents: by weight class and distance zone, in whole đồng, like a postal
tariff's domestic table (the figures are the sandbox's own, not VNPost's). The zone comes from the provinces: the
same province is within it; otherwise the sandbox's coarse regions by province code (north, centre, south) tell
near from far."""

# (up to grams, price within the province, to a province of the same region, to another region)
TABLE = (
    (100, 16_500, 22_000, 25_000),
    (250, 20_000, 28_000, 33_000),
    (500, 24_000, 35_000, 42_000),
    (1_000, 30_000, 45_000, 55_000),
    (2_000, 38_000, 60_000, 75_000),
)
ZONES = ("NOI_TINH", "LIEN_TINH_GAN", "LIEN_TINH_XA")
MAX_GRAMS = TABLE[-1][0]


def _region(province_code: str) -> int:
    code = int(province_code)
    return 0 if code < 40 else 1 if code < 70 else 2


def zone(sender_province: str, receiver_province: str) -> int:
    if sender_province == receiver_province:
        return 0
    return 1 if _region(sender_province) == _region(receiver_province) else 2


def price(*, weight_grams: int, zone_index: int) -> int:
    """The price of a parcel; ValueError beyond the table (the caller answers it as a refused request)."""
    for up_to, *prices in TABLE:
        if 0 < weight_grams <= up_to:
            return prices[zone_index]
    raise ValueError(f"weight {weight_grams} g outside 1..{MAX_GRAMS}")
