"""Shared test set-up: the Tanah Laut demo (real regions, illustrative baseline) loaded once per
session, plus a second kabupaten (63.02 Kotabaru) with no levels, for "another district" cases."""

import pytest
from django.conf import settings
from django.core.management import call_command

from classification.demo.baseline import demo_levels, load_baseline, load_boundaries


def pytest_configure(config):
    # The only test-specific setting: a fast hasher (HC, SGE do the same).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_test_regions():
    call_command("load_region", "63.01", "63.02", verbosity=0)
    load_boundaries()
    load_baseline(demo_levels())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_test_regions()
