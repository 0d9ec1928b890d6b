"""The waiting list: whoever finds no place asks for one, and freed places are offered to them first.

- models.py: an entry (a person, a procedure, the days they can come) and the offers made to it;
- services.py: joining (with a proved address), leaving, offering a place, following an offer's answer;
- selectors.py: reads (an entry or an offer by its link, who is next, counts for the staff);
- emails.py, forms.py, views.py, urls.py, admin.py: the e-mails, pages and admin;
- retention.py: what to forget, and when.
"""
