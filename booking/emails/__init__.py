"""E-mails to residents: the outbox (rows written with the change they tell about,
sent once by a task), the messages themselves, and their attachments.

Exactly once, with one documented window: see `outbox.send_outbound_email`.
"""

from .messages import build_message
from .outbox import list_stale_email_ids, queue_email, send_outbound_email

__all__ = ["build_message", "list_stale_email_ids", "queue_email", "send_outbound_email"]
