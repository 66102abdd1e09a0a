"""The copy of a person's data as a readable A4 PDF, in her language (Arabic right to left).

The same content as the JSON (binome.privacy.subject), laid out as sections of "label: value"
lines: labels are the fields' own names in her language, codes are shown as their labels.
The page is the agreement's (binome.duos.pdf): DejaVu Sans embedded, uharfbuzz shaping Arabic.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from binome.accounts.models import User
from binome.duos.models import (
    Agreement,
    Alert,
    CheckIn,
    ClosingFeedback,
    Duo,
    FollowUpAnswer,
    Meeting,
    Objective,
    Signature,
    SupervisionNote,
    Visit,
)
from binome.duos.pdf import RTL_LANGUAGES, SHAPING, AgreementPDF
from binome.evaluation.models import EsfSituation
from binome.matching.models import Proposal
from binome.notifications.models import Notification
from binome.partners.models import Referral
from binome.people.models import Consent, Guardian, Participant, StatusChange, TeamMember
from binome.privacy.subject import FULL
from binome.programmes.models import Vocabulary
from binome.programmes.vocabularies import vocabulary_of

# Below the agreement's own size: a copy may run to many pages of short lines.
SIZE = 9.5


def _label(model: type[models.Model] | None, key: str) -> str:
    if model is not None:
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        name = getattr(field, "verbose_name", None)
        if name:
            return str(name).capitalize()
    words = {
        "id": _("Number"),
        "with": _("With"),
        "side": _("Side"),
        "my_answer": _("My answer"),
        "has_scan": _("Paper scan kept"),
        "by": _("By"),
        "record": _("Record"),
        "action": _("Action"),
        "at": _("Date"),
        "detail": _("Details recorded"),
        "coordinator": _("Coordinator"),
    }
    return str(words.get(key, key.replace("_", " ").capitalize()))


def _text(model: type[models.Model] | None, key: str, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if model is not None and isinstance(value, str):
        try:
            field = model._meta.get_field(key)
        except FieldDoesNotExist:
            field = None
        choices = dict(getattr(field, "flatchoices", None) or [])
        if value in choices:
            return str(choices[value])
    if isinstance(value, list):
        return ", ".join(_text(None, key, item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(None, key, v)}" for k, v in value.items())
    return str(value)


class _Writer:
    def __init__(self, pdf: AgreementPDF) -> None:
        self.pdf = pdf

    def heading(self, text: str, level: int = 1) -> None:
        if self.pdf.get_y() > self.pdf.h - self.pdf.b_margin - 25:
            self.pdf.add_page()
        self.pdf.ln(3 if level == 1 else 1.5)
        self.pdf.write_block(
            text, size=13 if level == 1 else 11, style="B", h=7 if level == 1 else 6
        )

    def fields(self, model: type[models.Model] | None, row: dict[str, Any]) -> None:
        for key, value in row.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                continue
            self.pdf.write_block(f"{_label(model, key)}: {_text(model, key, value)}", size=SIZE)
        self.pdf.ln(1.5)

    def rows(
        self, title: str, model: type[models.Model] | None, rows: list[dict[str, Any]]
    ) -> None:
        self.heading(title, level=2)
        if not rows:
            self.pdf.write_block("—", size=SIZE)
        for row in rows:
            self.fields(model, row)


def build_subject_pdf(data: dict[str, Any], language: str) -> AgreementPDF:
    """Lay out a copy of a person's data (subject_data's result) in one language."""
    rtl = language in RTL_LANGUAGES and SHAPING
    with translation.override(language if rtl or language not in RTL_LANGUAGES else "en"):
        title = _("Your data held by Binôme")
        organisation = data["organisation"]["name"]
        footer = _("Made on %(day)s") % {"day": data["generated_at"][:10]}
        pdf = AgreementPDF(heading=f"{organisation} · {title}", footer=footer, rtl=rtl)
        pdf.set_title(title)
        pdf.set_author(organisation)
        pdf.set_creator("Binôme")
        pdf.add_page()
        pdf.write_block(title, size=18, style="B", h=9)
        pdf.write_block(data["programme"]["name"], size=11, h=6)
        pdf.ln(2)
        if data["scope"] == FULL:
            intro = _(
                "This is the complete copy of the data the organisation holds about this "
                "person, made by its coordinators, including their own notes."
            )
        else:
            intro = _(
                "This copy holds what you gave us and what you share with your duo. Notes that "
                "the coordinators write for their work (for example about your legal situation "
                "or your interview) are not in it: ask the coordinators for a full copy, it is "
                "your right. To correct something, go to “My data” in your space or write to "
                "the team."
            )
        pdf.write_block(intro, size=SIZE)
        _write(_Writer(pdf), data)
    return pdf


def _write(out: _Writer, data: dict[str, Any]) -> None:
    out.heading(_("Profile"))
    out.fields(Participant, data["participant"])
    if data["team_members"]:
        out.rows(_("Team members"), TeamMember, data["team_members"])
    if data["account"]:
        out.heading(_("Login account"), level=2)
        out.fields(User, data["account"])
    if "family" in data:
        out.rows(_("Family and guardians"), Guardian, data["family"])
        out.rows(_("Referrals to partners"), Referral, data["referrals"])
        out.rows(_("Situation for the funders (ESF+)"), EsfSituation, data["esf_situations"])
    out.rows(_("Consents"), Consent, data["consents"])
    out.rows(_("Status history"), StatusChange, data["status_history"])
    out.heading(_("Matching"))
    out.rows(_("Proposals"), Proposal, data["proposals"])
    for duo in data["duos"]:
        duo = _named(duo)
        out.heading(_("Duo with %(name)s") % {"name": duo["with"]})
        out.fields(Duo, {k: v for k, v in duo.items() if k != "agreement"})
        agreement = duo["agreement"]
        if agreement:
            out.heading(_("Mentoring agreement"), level=2)
            out.fields(Agreement, {k: v for k, v in agreement.items() if k != "texts"})
            out.rows(_("Signatures"), Signature, agreement["signatures"])
        out.rows(_("Meetings"), Meeting, duo["meetings"])
        out.rows(_("Action plan"), Objective, duo["objectives"])
        if duo["visits"]:
            out.rows(_("Visits"), Visit, duo["visits"])
        out.rows(_("Check-ins"), CheckIn, duo["check_ins"])
        if duo["closing_feedback"]:
            out.rows(_("Closing feedback"), ClosingFeedback, duo["closing_feedback"])
        if duo["follow_up_answers"]:
            out.rows(_("Follow-up answers"), FollowUpAnswer, duo["follow_up_answers"])
        if "supervision_notes" in duo:
            out.rows(_("Supervision notes"), SupervisionNote, duo["supervision_notes"])
            out.rows(_("Alerts"), Alert, duo["alerts"])
    out.heading(_("E-mails sent"))
    out.rows(_("E-mails sent"), Notification, data["emails"])
    if "audit_trail" in data:
        out.heading(_("Audit trail"))
        out.rows(_("Audit trail"), None, data["audit_trail"])


def _named(duo: dict[str, Any]) -> dict[str, Any]:
    """The duo's codes named as its programme names them (closure reason, outcomes, and each
    meeting's way, themes and supports): the JSON copy keeps the codes, the PDF is read."""
    found = Duo.objects.filter(pk=duo["id"]).select_related("programme__organisation").first()
    if found is None:
        return duo
    lists = vocabulary_of(found.programme)
    named = dict(duo)
    if duo.get("close_reason"):
        named["close_reason"] = lists.text(Vocabulary.CLOSE_REASONS, duo["close_reason"])
    named["outcomes"] = [lists.text(Vocabulary.OUTCOMES, c) for c in duo.get("outcomes") or []]
    meetings = []
    for meeting in duo.get("meetings") or []:
        meeting = dict(meeting)
        if meeting.get("mode"):
            meeting["mode"] = lists.text(Vocabulary.MEETING_MODES, meeting["mode"])
        for key, vocabulary in (("themes", Vocabulary.THEMES), ("supports", Vocabulary.SUPPORTS)):
            if isinstance(meeting.get(key), list):
                meeting[key] = [lists.text(vocabulary, c) for c in meeting[key]]
        meetings.append(meeting)
    named["meetings"] = meetings
    return named


def subject_pdf_bytes(data: dict[str, Any], language: str) -> bytes:
    """Return the PDF file of a copy of a person's data."""
    return bytes(build_subject_pdf(data, language).output())
