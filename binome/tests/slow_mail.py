"""Django's file e-mail backend, as slow to answer as a distant mail server (tests only).

The pause comes after the message is written: a process killed during it has sent an e-mail
it could not record as sent, the case where a retry would send it twice.
"""

import os
import time

from django.core.mail.backends.filebased import EmailBackend


class SlowFileBackend(EmailBackend):
    def send_messages(self, messages):
        sent = super().send_messages(messages)
        time.sleep(float(os.environ.get("BINOME_TEST_MAIL_DELAY", "0")))
        return sent
