from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EncryptionConfig(AppConfig):
    name = "binome.encryption"
    label = "encryption"
    verbose_name = _("Encryption at rest")

    def ready(self) -> None:
        from binome.encryption import checks  # noqa: F401 (registers the system checks)
