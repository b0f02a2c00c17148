"""What a person reads on a page or a PDF must never be an engine code (anti_her2, subsequent_line,
trastuzumab_deruxtecan, lvef_percent, patient.weight_kg, None, tucatinib-trastuzumab ...).

Shared by the page-and-PDF scan (tests/web/test_no_internal_codes.py) and the browser journeys, which save
each page's text beside its screenshot and check it (tests/e2e/journey_helpers.py).
"""

import re
from html.parser import HTMLParser
from io import BytesIO

from pypdf import PdfReader

from regimens import catalogue

INTERNAL_CODE = re.compile(
    r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"  # snake_case codes: anti_her2, subsequent_line, lvef_percent ...
    r"|\b(?:patient|her2|tumour)\.[a-z]"  # input field paths: patient.weight_kg, her2.ish
    r"|\bNone\b"  # Python's None where a value should be
    r"|\b(?:" + "|".join(re.escape(code) for code in catalogue.REGIMEN_CODES) + r")\b"  # regimen codes
)
# Attributes that are read to people (screen readers, tooltips, placeholders).
READ_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder")


class _VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._skip += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text of a page a person reads: element text and the attributes read aloud."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page of a PDF, as pypdf extracts it."""
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def pdf_text(content: bytes) -> str:
    """The text of a whole PDF: its pages joined, each run of white space (line breaks too) one space."""
    return " ".join(" ".join(pdf_pages(content)).split())


def internal_codes_in(text: str) -> list[str]:
    """Each engine code in `text`, with a little context to find it."""
    return [text[max(0, m.start() - 40):m.end() + 40] for m in INTERNAL_CODE.finditer(text)]


def assert_no_internal_codes(text: str, where: str) -> None:
    found = internal_codes_in(text)
    assert not found, f"{where} shows engine codes: {found[:5]}"
