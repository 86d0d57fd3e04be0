"""What the programme decides, as plain Python: levels, scoring, plans, targets, codes, figures."""
