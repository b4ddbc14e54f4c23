"""Detection and true removal of third parties' personal data. Usable on its own; no Flask."""
