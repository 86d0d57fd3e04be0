"""Template tag libraries (names unchanged: templates load them by these module names)."""
