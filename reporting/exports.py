"""A table of the statistics pages as a file: CSV (UTF-8 with a byte-order mark, which Excel needs to read
Vietnamese) or XLSX (openpyxl), with the title, the period, the grouped headings of the periodic report, the rows and
the total row. Numbers stay numbers (a rate of 92.61 per cent is the number 92.61), so a spreadsheet can sum them."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .tables import COUNT, DECIMAL, MONEY, PERCENT, Table

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}
NUMBER_FORMATS = {COUNT: "#,##0", MONEY: "#,##0", PERCENT: "0.00", DECIMAL: "0.0"}


def _header_names(table: Table) -> list[str]:
    return [f"{column.group} – {column.label}" if column.group else str(column.label) for column in table.columns]


# A cell a spreadsheet would run as a formula: citizens' rating comments are exported, and "=HYPERLINK(…)" typed as a
# comment must reach the leader as text (OWASP's CSV injection advice: such text starts with a quote in CSV, and is a
# plain string cell in XLSX).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _plain(value):
    return "" if value is None else value


def _csv_cell(value):
    return "'" + value if _is_formula_like(value) else _plain(value)


def table_csv(table: Table, *, subtitle: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([table.title])
    writer.writerow([subtitle])
    writer.writerow(_header_names(table))
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow([_csv_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table, *, subtitle: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.slug[:31]
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([subtitle])
    first_header = 3
    if table.has_groups:
        sheet.append([cell for label, span in table.groups for cell in [str(label), *[None] * (span - 1)]])
        column = 1
        for label, span in table.groups:
            if label and span > 1:
                sheet.merge_cells(
                    start_row=first_header, start_column=column, end_row=first_header, end_column=column + span - 1
                )
            column += span
    sheet.append([str(column.label) for column in table.columns])
    header_rows = range(first_header, sheet.max_row + 1)
    for row in sheet.iter_rows(min_row=header_rows.start, max_row=header_rows.stop - 1):
        for cell in row:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in [*table.rows, *([table.total] if table.total else [])]:
        sheet.append([_plain(value) for value in values])
        for cell in sheet[sheet.max_row]:
            if _is_formula_like(cell.value):
                cell.data_type = "s"
        for index, column in enumerate(table.columns, start=1):
            if column.kind in NUMBER_FORMATS:
                sheet.cell(row=sheet.max_row, column=index).number_format = NUMBER_FORMATS[column.kind]
    if table.total:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    for index in range(1, len(table.columns) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 40 if index == 1 else 14
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_file(table: Table, *, file_format: str, subtitle: str) -> bytes:
    writer = table_csv if file_format == "csv" else table_xlsx
    return writer(table, subtitle=subtitle)
