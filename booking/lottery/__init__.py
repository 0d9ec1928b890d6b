"""Lottery openings: an exceptional opening whose places are drawn among those who registered in time.

- draw.py: the draw itself, a pure function of the seed and the registrations (published, reproducible);
- priority.py: the priority rules an opening may choose;
- models.py: a lottery (its seed, committed to in advance) and its registrations;
- services.py: registering (with a proved address), and joining the waiting list afterwards;
- drawing.py: drawing when the window closes, giving the places, passing on those not confirmed;
- selectors.py, emails.py, forms.py, views.py, urls.py, admin.py, retention.py;
- the `reproduce_draw` command re-computes a draw from its published seed.
"""
