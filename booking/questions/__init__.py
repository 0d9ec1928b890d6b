"""The information service: written questions answered by a team, phone calls logged.

- models.py: topics staff configure, questions and every message of their thread, reply templates,
  agents' notes, the phone log;
- services.py: asking (with a proved address), assigning, answering (a template, an appointment), the
  resident's one reply and their opinion, logging a call, anonymising;
- selectors.py: the inbox's reads, the FAQ suggestions, the figures;
- emails.py, forms.py, views.py, staff_views.py, urls.py, staff_urls.py, admin.py: e-mails, pages, admin.
"""
