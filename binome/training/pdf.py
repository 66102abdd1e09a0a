"""A volunteer's attestation as an A4 PDF in their language (layout of binome.duos.pdf)."""

import datetime

from django.db.models import Max, Min
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from binome.duos.models import Duo
from binome.duos.pdf import RTL_LANGUAGES, SHAPING, AgreementPDF
from binome.people.models import Participant
from binome.reference import cldr
from binome.training.models import ValidatedSkill
from binome.training.selectors import hours


def attestation_language(participant: Participant) -> str:
    """The person's language, when this server can print it; else the organisation's."""
    language = participant.language or "fr"
    if language in RTL_LANGUAGES and not SHAPING:
        return participant.programme.organisation.source_language
    return language


def _period(participant: Participant) -> tuple[datetime.date, datetime.date]:
    side = "mentor" if participant.role == Participant.Role.MENTOR else "mentee"
    span = Duo.objects.filter(**{side: participant}).aggregate(
        start=Min("started_on"), end=Max("closed_on")
    )
    start = span["start"] or timezone.localtime(participant.created_at).date()
    open_duos = Duo.objects.filter(**{side: participant}, closed_on__isnull=True).exists()
    end = timezone.localdate() if open_duos or not span["end"] else span["end"]
    return start, end


def attestation_lines(participant: Participant, language: str) -> list[tuple[str, str]]:
    """The attestation's rows (label, value), in `language`."""
    with translation.override(language):
        spent = hours(participant)
        start, end = _period(participant)
        skills = [
            str(v.skill.localized("name", language))
            for v in ValidatedSkill.objects.filter(participant=participant).select_related(
                "skill__programme__organisation"
            )
        ]
        return [
            (_("Volunteer"), participant.display_name),
            (_("Programme"), str(participant.programme.localized("name", language))),
            (_("Role"), str(participant.get_role_display())),
            (
                _("Period"),
                _("from %(start)s to %(end)s")
                % {
                    "start": cldr.format_date(start),
                    "end": cldr.format_date(end),
                },
            ),
            # What the volunteer committed to (from 2 hours a year to long-term mentoring).
            *(
                [(_("Engagement"), str(participant.get_engagement_display()))]
                if participant.engagement
                else []
            ),
            (_("Hours of mentoring"), formats.number_format(spent.mentoring, 1)),
            (_("Hours of training"), formats.number_format(spent.training, 1)),
            (_("Skills recognised"), ", ".join(skills) or "—"),
        ]


def attestation_pdf(participant: Participant) -> tuple[bytes, str]:
    """Return the attestation's bytes and the language it is written in."""
    language = attestation_language(participant)
    organisation = participant.programme.organisation
    rows = attestation_lines(participant, language)
    with translation.override(language):
        title = _("Volunteer's attestation")
        pdf = AgreementPDF(
            heading=f"{organisation.name} · {title}",
            footer=_("Issued on %(day)s") % {"day": cldr.format_date(timezone.localdate())},
            rtl=language in RTL_LANGUAGES,
        )
        pdf.set_title(f"{title} – {participant.display_name}")
        pdf.set_author(organisation.name)
        pdf.set_creator("Binôme")
        pdf.add_page()
        pdf.write_block(title, size=18, style="B", h=9)
        pdf.ln(2)
        pdf.write_block(
            _(
                "%(organisation)s attests that the person named below took part in its "
                "mentoring programme as a volunteer."
            )
            % {"organisation": organisation.name},
            size=10.5,
        )
        pdf.ln(4)
        for label, value in rows:
            pdf.write_block(label, size=9, style="B", h=5)
            pdf.write_block(value, size=10.5, h=6)
            pdf.ln(1.5)
        pdf.ln(8)
        pdf.write_block(organisation.name, size=10, style="B")
    return bytes(pdf.output()), language
