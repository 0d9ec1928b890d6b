"""Views of the booking app, one module per audience: flow (the public booking steps),
manage (what a resident does afterwards, from the link in the e-mails), staff (accueil agents and heads of bureau)."""
