"""Recording audit history as a named person outside a request.

During a request simple-history's HistoryRequestMiddleware tells it who is acting; service-level
tests call the services directly, so ``acting_as`` does what the middleware does.
"""

from contextlib import contextmanager

from django.test import RequestFactory
from simple_history.models import HistoricalRecords


@contextmanager
def acting_as(user):
    """Within the block, history rows name ``user`` as who made the change."""
    request = RequestFactory().get("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request
