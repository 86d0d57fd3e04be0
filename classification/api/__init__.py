"""The read-only JSON API at /api/v1/: serializers, views and URLs."""
