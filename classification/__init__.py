"""Kampung KB Monitor's app (label ``classification``): one package per concern."""
