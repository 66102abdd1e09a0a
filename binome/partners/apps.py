from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "binome.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from binome.core import next_steps, panels
        from binome.partners import panels as partner_panels
        from binome.partners.next_steps import referrals_to_follow_up

        panels.register_panel(panels.PARTICIPANT_DETAIL, partner_panels.participant_referrals)
        panels.register_panel(panels.DUO_PLAN, partner_panels.plan_partners)
        next_steps.register_coordinator_todos(referrals_to_follow_up)
