"""Management commands of the classification app."""
