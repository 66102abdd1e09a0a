"""The mentoring agreement as an A4 PDF (fpdf2: pure Python, nothing to install beside pip).

fpdf2's built-in fonts are Latin-1 only, so DejaVu Sans is embedded (binome/duos/fonts, with its
licence): accented Latin and Cyrillic render as they are. Arabic letters change shape with their
neighbours and run right to left, which needs a shaping engine (uharfbuzz); it is used when
installed, and without it Arabic is not offered as a PDF language (the page still shows it).
"""

import datetime
import importlib.util
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from binome.duos.agreement_text import pick_language, signatures_of, text_blocks
from binome.duos.models import Agreement, Duo, Signature
from binome.reference import cldr

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
SHAPING = importlib.util.find_spec("uharfbuzz") is not None
RTL_LANGUAGES = frozenset({"ar"})
INK, MUTED, LINE = (29, 35, 48), (90, 98, 114), (200, 205, 214)


def pdf_languages(agreement: Agreement) -> list[str]:
    """List the languages the agreement can be printed in on this server."""
    return [
        language for language in sorted(agreement.texts) if SHAPING or language not in RTL_LANGUAGES
    ]


def pdf_language(agreement: Agreement, *wanted: str | None) -> str:
    return pick_language(pdf_languages(agreement), *wanted)


class AgreementPDF(FPDF):
    """An A4 page with the organisation in the header and the hash and page number in the footer."""

    def __init__(self, *, heading: str, footer: str, rtl: bool) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.heading, self.footer_text, self.rtl = heading, footer, rtl
        # Every string written, in order: lets tests read the document without a PDF parser.
        self.written: list[str] = []
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        if rtl and SHAPING:
            self.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab")
        self.set_margins(20, 22, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def write_cell(self, w: float, h: float, text: str, **kwargs: Any) -> None:
        self.written.append(text)
        size = self.font_size_pt
        # A cell does not wrap: a long name or a long translation gets a smaller font instead.
        while w and self.get_string_width(text) > w - 2 and self.font_size_pt > 6:
            self.set_font_size(self.font_size_pt - 0.5)
        self.cell(w, h, text, **kwargs)
        self.set_font_size(size)

    def write_block(
        self,
        text: str,
        *,
        size: float = 10,
        style: str = "",
        h: float = 5.2,
        indent: float = 0.0,
        align: str | None = None,
    ) -> None:
        self.written.append(text)
        self.set_font(FONT, style, size)
        self.set_x(self.l_margin + indent)
        self.multi_cell(0, h, text, align=align or self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def header(self) -> None:
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.heading, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.set_y(self.get_y() + 5)
        self.set_text_color(*INK)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_draw_color(*LINE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.set_font(FONT, "", 7)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.footer_text, align="L")
        self.set_x(self.l_margin)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 6, page, align="R")


def _day(value: datetime.date | None) -> str:
    return cldr.format_date(value) if value else "—"


def _parties(duo: Duo) -> list[tuple[str, str]]:
    coordinator = duo.coordinator
    return [
        (_("Organisation"), duo.programme.organisation.name),
        (_("Programme"), duo.programme.localized("name").text),
        (_("Mentor"), duo.mentor.display_name),
        (_("Mentee"), duo.mentee.display_name),
        (_("Coordinator"), coordinator.full_name if coordinator else "—"),
        (
            _("Period"),
            _("from %(start)s to %(end)s")
            % {"start": _day(duo.started_on), "end": _day(duo.planned_end_on)},
        ),
    ]


def _signature_rows(agreement: Agreement, duo: Duo) -> list[tuple[str, str, str, str]]:
    by_party = {signature.party: signature for signature in signatures_of(agreement)}
    names = {
        Signature.Party.MENTOR: duo.mentor.display_name,
        Signature.Party.MENTEE: duo.mentee.display_name,
        Signature.Party.COORDINATOR: duo.coordinator.full_name if duo.coordinator else "",
    }
    rows = []
    for party in Signature.Party:
        signature = by_party.get(party.value)
        if signature is None:
            rows.append((str(party.label), names[party], _("Not signed yet"), ""))
            continue
        rows.append(
            (
                str(party.label),
                signature.typed_name,
                cldr.format_date(signature.signed_at, "medium"),
                str(signature.get_method_display()),
            )
        )
    return rows


def build_agreement_pdf(agreement: Agreement, language: str) -> AgreementPDF:
    """Lay out the agreement in one language: title, parties, text, signatures, hash, pages."""
    duo = agreement.duo
    with translation.override(language):
        title = _("Mentoring agreement")
        if agreement.frozen_at:
            footer = _("SHA-256 of the signed texts: %(hash)s") % {"hash": agreement.text_hash}
        else:
            footer = _("Draft: not yet signed by all parties.")
        pdf = AgreementPDF(
            heading=f"{duo.programme.organisation.name} · {title}",
            footer=footer,
            rtl=language in RTL_LANGUAGES,
        )
        pdf.set_title(f"{title} – {duo.mentor.display_name} / {duo.mentee.display_name}")
        pdf.set_author(duo.programme.organisation.name)
        pdf.set_creator("Binôme")
        pdf.add_page()
        pdf.write_block(title, size=18, style="B", h=9)
        pdf.write_block(duo.programme.localized("name").text, size=11, h=6)
        pdf.ln(3)
        _write_parties(pdf, _parties(duo))
        pdf.ln(4)
        _write_text(pdf, agreement.texts.get(language, ""))
        pdf.ln(4)
        _write_signatures(pdf, agreement, duo)
    return pdf


def _write_parties(pdf: AgreementPDF, rows: list[tuple[str, str]]) -> None:
    pdf.set_fill_color(243, 245, 248)
    label_width = 38
    for label, value in rows:
        pdf.set_font(FONT, "B", 9)
        pdf.write_cell(label_width, 6.5, label, fill=True, align=pdf.align)
        pdf.set_font(FONT, "", 9.5)
        pdf.write_cell(0, 6.5, value, fill=True, align=pdf.align, new_x=XPos.LMARGIN)
        pdf.ln(6.8)


def _write_text(pdf: AgreementPDF, text: str) -> None:
    for block in text_blocks(text):
        if block.kind == "heading":
            # A heading is never left alone at the bottom of a page.
            if pdf.get_y() > pdf.h - pdf.b_margin - 20:
                pdf.add_page()
            pdf.ln(2.5)
            pdf.write_block(block.text, size=11.5, style="B", h=6.5)
            pdf.ln(0.8)
        elif block.kind == "list":
            for item in block.items:
                pdf.set_font(FONT, "", 10)
                if pdf.rtl:
                    # Right to left, the bullet leads the line at its right end.
                    pdf.write_block(f"• {item}")
                else:
                    pdf.set_x(pdf.l_margin + 2)
                    pdf.cell(4, 5.2, "•")
                    pdf.write_block(item, indent=6.5)
                pdf.ln(0.6)
            pdf.ln(1.2)
        else:
            pdf.write_block(block.text)
            pdf.ln(2)


def _write_signatures(pdf: AgreementPDF, agreement: Agreement, duo: Duo) -> None:
    if pdf.get_y() > pdf.h - pdf.b_margin - 45:
        pdf.add_page()
    pdf.write_block(_("Signatures"), size=11.5, style="B", h=6.5)
    pdf.ln(1)
    widths = (36, 62, 30, 42)
    headings = (_("Party"), _("Name"), _("Date"), _("How"))
    pdf.set_draw_color(*LINE)
    pdf.set_font(FONT, "B", 8.5)
    pdf.set_text_color(*MUTED)
    for width, heading in zip(widths, headings, strict=True):
        pdf.write_cell(width, 7, heading, border="B", align=pdf.align)
    pdf.ln(7)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "", 9.5)
    for row in _signature_rows(agreement, duo):
        for width, value in zip(widths, row, strict=True):
            pdf.write_cell(width, 9, value, border="B", align=pdf.align)
        pdf.ln(9)
    if agreement.frozen_at:
        pdf.ln(2)
        pdf.write_block(
            _("Signed by all on %(day)s: the texts are frozen, the SHA-256 below proves it.")
            % {"day": _day(timezone.localtime(agreement.frozen_at).date())},
            size=8.5,
        )


def agreement_pdf_bytes(agreement: Agreement, language: str) -> bytes:
    """Return the PDF file of the agreement in one language."""
    return bytes(build_agreement_pdf(agreement, language).output())
