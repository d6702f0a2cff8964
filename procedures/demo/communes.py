"""The demo province's wards and communes, for postal addresses (procedures.Commune), and where each demo agency's
desk is.

Since 1 July 2025 the demo's province (the former Thái Bình, whose names the demo catalogue keeps) is part of Hưng
Yên (Resolution 202/2025/QH15), and its units are those of Resolution 1666/NQ-UBTVQH15 (16 June 2025): province,
then commune or ward, no district. This is a subset (the five wards of the former Thái Bình city and communes
around them), not the province's 104 units, which an administrator completes in the admin. The names are the
resolution's; the 5-digit codes are the demo's own, to be replaced with the national list of administrative
units' codes before real use.
"""

from procedures.constants import CommuneKind

from .catalogue import (
    CONG_AN_TINH,
    PHUONG_KY_BA,
    PHUONG_TRAN_HUNG_DAO,
    PROVINCE,
    SO_CONG_THUONG,
    SO_GIAO_DUC,
    SO_NONG_NGHIEP_MOI_TRUONG,
    SO_TAI_CHINH,
    SO_TU_PHAP,
    SO_XAY_DUNG,
    SO_Y_TE,
    XA_THAI_THUY,
    XA_VU_THU,
)

DEMO_PROVINCE = ("33", "Hưng Yên")

# (code, name, kind)
COMMUNES = (
    ("90001", "Thái Bình", CommuneKind.WARD),
    ("90002", "Trần Hưng Đạo", CommuneKind.WARD),
    ("90003", "Trần Lãm", CommuneKind.WARD),
    ("90004", "Trà Lý", CommuneKind.WARD),
    ("90005", "Vũ Phúc", CommuneKind.WARD),
    ("90011", "Vũ Thư", CommuneKind.COMMUNE),
    ("90012", "Thư Trì", CommuneKind.COMMUNE),
    ("90013", "Nam Tiên Hưng", CommuneKind.COMMUNE),
    ("90021", "Thái Thụy", CommuneKind.COMMUNE),
    ("90022", "Thụy Anh", CommuneKind.COMMUNE),
    ("90023", "Đông Thụy Anh", CommuneKind.COMMUNE),
    ("90024", "Bắc Thụy Anh", CommuneKind.COMMUNE),
    ("90025", "Nam Thụy Anh", CommuneKind.COMMUNE),
    ("90026", "Tây Thụy Anh", CommuneKind.COMMUNE),
    ("90031", "Thái Ninh", CommuneKind.COMMUNE),
    ("90032", "Bắc Thái Ninh", CommuneKind.COMMUNE),
    ("90033", "Đông Thái Ninh", CommuneKind.COMMUNE),
    ("90034", "Nam Thái Ninh", CommuneKind.COMMUNE),
    ("90035", "Tây Thái Ninh", CommuneKind.COMMUNE),
    ("90041", "Tiền Hải", CommuneKind.COMMUNE),
    ("90042", "Tây Tiền Hải", CommuneKind.COMMUNE),
    ("90043", "Ái Quốc", CommuneKind.COMMUNE),
    ("90044", "Đồng Châu", CommuneKind.COMMUNE),
)

# The commune each demo agency sends parcels from (its desk's address); Kỳ Bá ward is now part of Trần Lãm.
AGENCY_COMMUNES = {
    PROVINCE: "90002",
    SO_CONG_THUONG: "90002",
    SO_TU_PHAP: "90002",
    SO_XAY_DUNG: "90002",
    SO_NONG_NGHIEP_MOI_TRUONG: "90002",
    SO_TAI_CHINH: "90002",
    SO_Y_TE: "90003",
    SO_GIAO_DUC: "90002",
    CONG_AN_TINH: "90002",
    PHUONG_TRAN_HUNG_DAO: "90002",
    PHUONG_KY_BA: "90003",
    XA_THAI_THUY: "90021",
    XA_VU_THU: "90011",
}
