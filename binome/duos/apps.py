from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuosConfig(AppConfig):
    name = "binome.duos"
    label = "duos"
    verbose_name = _("Duos")
