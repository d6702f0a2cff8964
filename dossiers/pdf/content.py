"""What an issued document prints, as plain text: paragraphs, label/value rows, tables and signatures.
Tests read these, since the text inside a PDF is not searchable; `layout.render` lays them out."""

from dataclasses import dataclass, field

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


@dataclass(frozen=True)
class Paragraph:
    text: str
    bold: bool = False


@dataclass(frozen=True)
class Facts:
    """Label / value rows ("Họ và tên: ...")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    widths: tuple[float, ...]  # relative column widths
    rows: tuple[tuple[str, ...], ...]
    centered_columns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Signature:
    title: str
    note: str
    name: str


Block = Paragraph | Facts | Table


@dataclass(frozen=True)
class IssuedDocument:
    """Everything a document prints, as text."""

    title: str
    code: str
    governing_body: str
    agency_name: str
    place_and_date: str
    qr_url: str
    body: tuple[Block, ...]
    signatures: tuple[Signature, ...] = field(default=())
    landscape: bool = False
    # Laid out tighter so that it fits one A4 page, signatures and QR code included (the receipt).
    one_page: bool = False

    def facts(self) -> dict[str, str]:
        """Every label/value row of the document, by label."""
        return {label: value for block in self.body if isinstance(block, Facts) for label, value in block.rows}

    def tables(self) -> list[Table]:
        return [block for block in self.body if isinstance(block, Table)]

    def text(self) -> str:
        """All the text of the document, one piece a line, for searching."""
        lines = [self.governing_body, self.agency_name, NATIONAL_NAME, NATIONAL_MOTTO, self.place_and_date]
        lines += [self.title, self.code]
        for block in self.body:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Facts):
                lines += [f"{label}: {value}" for label, value in block.rows]
            else:
                lines.append(" | ".join(block.headers))
                lines += [" | ".join(row) for row in block.rows]
        for signature in self.signatures:
            lines += [signature.title, signature.name]
        return "\n".join(line for line in lines if line)
