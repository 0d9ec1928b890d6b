"""Views of the booking app, one module per audience: flow (the public booking steps), staff (agents)."""
