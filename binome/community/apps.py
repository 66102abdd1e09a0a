from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "binome.community"
    verbose_name = _("Group activities")

    def ready(self) -> None:
        from binome.community import hooks

        hooks.register_all()
