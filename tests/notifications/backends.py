"""E-mail backends for the tests: one whose server is always gone, one that is slow."""

import time
from smtplib import SMTPServerDisconnected

from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


class SlowBackend(BaseEmailBackend):
    """Takes half a second a message, so a second worker would overlap with the first."""

    def send_messages(self, email_messages):
        time.sleep(0.5)
        mail.outbox.extend(email_messages)
        return len(email_messages)
