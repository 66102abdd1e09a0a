"""The audit trail's action codes in words, for the people who read it.

The codes are written by `binome.core.audit.audit(...)` all over the code base; a code missing
here is shown as it is, so a new action is readable (if terse) before it gets its label.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

EXPORT = "privacy.audit_export"

ACTION_LABELS: dict[str, Promise] = {
    "accounts.login": _("Logged in"),
    "accounts.password_change": _("Password changed"),
    "accounts.session.revoke": _("A session logged out"),
    "accounts.session.revoke_others": _("Other sessions logged out"),
    "accounts.two_factor.enrol": _("Two-step login turned on"),
    "accounts.two_factor.disable": _("Two-step login turned off"),
    "accounts.two_factor.reset": _("Two-step login reset by an admin"),
    "accounts.two_factor.recovery_codes": _("New recovery codes made"),
    "accounts.two_factor.recovery_code_used": _("Logged in with a recovery code"),
    "organisation.update": _("Organisation settings changed"),
    "programme.create": _("Programme created"),
    "programme.update": _("Programme changed"),
    "participant.create": _("Participant created"),
    "participant.update": _("Participant's record changed"),
    "participant.status": _("Participant's status changed"),
    "participant.invite": _("Participant invited to log in"),
    "participant.import": _("Participants imported"),
    "participant.members": _("Team members changed"),
    "consent.record": _("Consent recorded"),
    "consent.withdraw": _("Consent withdrawn"),
    "matching.settings": _("Matching settings changed"),
    "matching.lock": _("Pair locked for matching"),
    "matching.forbid": _("Pair excluded from matching"),
    "matching.clear": _("Pair rule removed"),
    "proposal.send": _("Proposal sent"),
    "proposal.accepted": _("Proposal accepted"),
    "proposal.declined": _("Proposal declined"),
    "duo.create": _("Duo created"),
    "duo.start": _("Duo started"),
    "duo.close": _("Duo closed"),
    "duo.feedback": _("Closing feedback given"),
    "duo.supervision_read": _("Supervision page read"),
    "participant.sensitive_read": _("Legal status and notes read"),
    "agreement.open": _("Agreement opened"),
    "agreement.sign": _("Agreement signed"),
    "agreement.freeze": _("Agreement complete and frozen"),
    "agreement.scan_view": _("Signed scan viewed"),
    "agreement.template_save": _("Agreement template saved"),
    "objective.create": _("Objective added"),
    "objective.update": _("Objective changed"),
    "meeting.plan": _("Meeting planned"),
    "meeting.log": _("Meeting logged"),
    "meeting.update": _("Meeting changed"),
    "meeting.cancel": _("Meeting cancelled"),
    "visit.log": _("Visit logged"),
    "checkin.record": _("Check-in answered"),
    "alert.resolve": _("Alert resolved"),
    "supervision_note.add": _("Supervision note added"),
    "follow_up.answer": _("Follow-up questionnaire answered"),
    "notifications.opt_out": _("Unsubscribed from an e-mail"),
    "notifications.preferences": _("E-mail preferences changed"),
    EXPORT: _("Audit trail exported"),
    "participant.export": _("Copy of a participant's data downloaded"),
    "participant.erase": _("Participant's data erased"),
    "organisation.retention": _("Retention periods changed"),
    "privacy.retention": _("Retention periods applied"),
}


def action_label(code: str) -> str:
    """Return the action in words in the active language, or the code itself if unknown."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code
