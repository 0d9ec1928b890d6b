"""E-mails to residents: the outbox (rows written with the change they tell about,
sent once by a task), the messages themselves, and their attachments.

Exactly once, with one documented window, and one retry schedule: see `outbox`.
"""

from .messages import build_message
from .outbox import queue_email, requeue_due_emails, send_outbound_email

__all__ = ["build_message", "queue_email", "requeue_due_emails", "send_outbound_email"]
