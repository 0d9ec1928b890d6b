"""Telling people from scripts on the forms that take a place or send an e-mail, without a third party.

- pow.py: a proof of work (ALTCHA v2, PBKDF2/SHA-256), issued and verified by
  this server, solved by the visitor's browser (static/js/antibot.js);
- tickets.py: the path without JavaScript: a signed ticket, accepted only a
  while after the page was opened;
- replay.py: each proof or ticket is accepted once;
- forms.py: the form fields and check a view adds to its form;
- views.py: the challenge endpoint the script fetches.
"""
