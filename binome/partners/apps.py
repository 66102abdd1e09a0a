from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "binome.partners"
    label = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        from binome.core import panels
        from binome.partners import panels as partner_panels

        panels.register_panel(panels.PARTICIPANT_DETAIL, partner_panels.participant_referrals)
        panels.register_panel(panels.DUO_PLAN, partner_panels.plan_partners)
