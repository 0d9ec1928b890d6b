"""What the information service keeps about people, and when to forget it: registered with the retention job
(booking.retention). A question's address, file number, messages and notes go RETENTION_QUESTIONS_DAYS after it
was answered or closed; one whose address was never proved goes with it (`anonymise_questions`)."""

from booking.retention import register_purge

from .services import anonymise_questions

register_purge("questions", anonymise_questions, setting="RETENTION_QUESTIONS_DAYS")
