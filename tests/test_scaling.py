"""Several app servers behind a load balancer: what one writes, the next one reads.

Against a real Redis (REDIS_URL, else 127.0.0.1:6379/0), under a key prefix of this run's own so
parallel runs and a live site sharing the server never meet. Without REDIS_URL the Redis tests
skip when nothing answers on the default address; with REDIS_URL set they fail instead, so a run
meant to exercise Redis cannot pass without it.
"""

import os
import pickle
import re
import subprocess
import sys
import unittest
import uuid
from importlib import import_module

import redis
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, RequestFactory, SimpleTestCase, override_settings

from classification.models import Assessment
from kampungkb.settings import (
    CACHED_DB_SESSIONS,
    DB_SESSIONS,
    LOCAL_CACHE,
    REDIS_CACHE,
    cache_settings,
    ipware_settings,
)
from tests.base import PASSWORD, PeopleTestCase
from tests.test_views_dashboard import card
from tests.test_views_verification import (
    WorkflowViewTestCase,
    hidden_version,
    penilaian_url,
    review_url,
    verify_data,
)

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
KEY_PREFIX = f"kkb-test-{uuid.uuid4().hex[:12]}"
REDIS_CACHES, _ = cache_settings(REDIS_URL, KEY_PREFIX)


def redis_client() -> redis.Redis:
    return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=2)


def redis_skip_reason() -> str | None:
    if os.environ.get("REDIS_URL"):
        return None
    try:
        redis_client().ping()
    except redis.RedisError as error:
        return f"no Redis answers at {REDIS_URL} ({error}); start redis-server or set REDIS_URL"
    return None


SKIP_REASON = redis_skip_reason()


def session_store():
    """The session engine in force, as a freshly started app server would load it."""
    return import_module(settings.SESSION_ENGINE).SessionStore


def official_level(response) -> str:
    match = re.search(r'data-testid="official-level">(?:<span[^>]*>)?([^<]+)<', response.text)
    assert match, "no official level on the page"
    return match.group(1)


class CacheSettingsTests(SimpleTestCase):
    def test_without_redis_each_process_keeps_its_own_cache_and_sessions_live_in_the_database(
        self,
    ):
        for url in (None, ""):
            with self.subTest(url=url):
                self.assertEqual(
                    cache_settings(url, "kampungkb"),
                    ({"default": {"BACKEND": LOCAL_CACHE}}, DB_SESSIONS),
                )

    def test_with_redis_the_cache_is_shared_and_sessions_are_read_through_it(self):
        caches_setting, engine = cache_settings("redis://10.0.0.5:6379/2", "kkb-dinas")
        cache = caches_setting["default"]
        self.assertEqual(engine, CACHED_DB_SESSIONS)
        self.assertEqual(
            (cache["BACKEND"], cache["LOCATION"], cache["KEY_PREFIX"]),
            (REDIS_CACHE, "redis://10.0.0.5:6379/2", "kkb-dinas"),
        )
        # A dead Redis must not hang a worker for the default (no) timeout.
        self.assertLessEqual(cache["OPTIONS"]["socket_timeout"], 5)

    def test_tls_and_unix_socket_urls_are_accepted(self):
        for url in ("rediss://cache.example.id:6380/0", "unix:///run/redis/redis.sock?db=1"):
            with self.subTest(url=url):
                self.assertEqual(cache_settings(url, "kampungkb")[1], CACHED_DB_SESSIONS)

    def test_a_malformed_url_or_an_empty_prefix_fails_loudly(self):
        for url, prefix in (("127.0.0.1:6379", "kampungkb"), ("redis://127.0.0.1:6379/0", "")):
            with self.subTest(url=url, prefix=prefix), self.assertRaises(ImproperlyConfigured):
                cache_settings(url, prefix)

    def test_settings_read_redis_url_and_key_prefix_from_the_environment(self):
        # A fresh interpreter: the settings module reads the environment once, on import.
        env = {
            **os.environ,
            "SECRET_KEY": "scaling-test",
            "REDIS_URL": "redis://10.0.0.5:6379/3",
            "CACHE_KEY_PREFIX": "kkb-env",
        }
        script = (
            "from kampungkb import settings as s; "
            "c = s.CACHES['default']; print(c['LOCATION'], c['KEY_PREFIX'], s.SESSION_ENGINE)"
        )
        result = subprocess.run(
            [sys.executable, "-c", script],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        )
        self.assertEqual(
            result.stdout.split(), ["redis://10.0.0.5:6379/3", "kkb-env", CACHED_DB_SESSIONS]
        )


def behind(proxies: int):
    """Settings for AXES_PROXY_COUNT=``proxies``."""
    count, order = ipware_settings(proxies)
    return override_settings(AXES_IPWARE_PROXY_COUNT=count, AXES_IPWARE_META_PRECEDENCE_ORDER=order)


class ClientAddressTests(SimpleTestCase):
    """The address failed logins are counted against, as each app server reads it."""

    def address(self, proxies: int, forwarded: str | None, remote: str = "10.0.0.2") -> str | None:
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
        with behind(proxies):
            return get_client_ip_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))

    def test_without_proxies_the_header_is_ignored(self):
        self.assertEqual(self.address(0, "203.0.113.9"), "10.0.0.2")

    def test_behind_nginx_alone_the_client_is_the_one_address_nginx_wrote(self):
        self.assertEqual(self.address(1, "203.0.113.9", remote="127.0.0.1"), "203.0.113.9")

    def test_behind_a_load_balancer_and_nginx_the_client_comes_before_the_balancer(self):
        self.assertEqual(self.address(2, "203.0.113.9, 10.0.0.1"), "203.0.113.9")

    def test_an_address_forged_by_the_client_is_never_taken(self):
        # nginx appends the real address to whatever the client sent: two entries, not one.
        self.assertEqual(
            self.address(1, "198.51.100.7, 203.0.113.9", remote="127.0.0.1"), "127.0.0.1"
        )
        self.assertNotEqual(self.address(2, "198.51.100.7, 203.0.113.9, 10.0.0.1"), "198.51.100.7")


class RedisTestMixin:
    """The Redis cache and cached_db sessions; this run's keys are removed afterwards."""

    @classmethod
    def tearDownClass(cls):
        client = redis_client()
        keys = list(client.scan_iter(match=f"{KEY_PREFIX}:*"))
        if keys:
            client.delete(*keys)
        super().tearDownClass()

    def redis_keys(self) -> list[str]:
        return [key.decode() for key in redis_client().scan_iter(match=f"{KEY_PREFIX}:*")]


def with_redis(cls):
    """Run ``cls`` on the Redis cache with cached_db sessions, as every app server would."""
    cls = override_settings(CACHES=REDIS_CACHES, SESSION_ENGINE=CACHED_DB_SESSIONS)(cls)
    return unittest.skipIf(SKIP_REASON, SKIP_REASON or "")(cls)


@with_redis
class SharedSessionTests(RedisTestMixin, PeopleTestCase):
    def log_in(self, client: Client) -> str:
        response = client.post("/masuk/", {"username": "staf", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    def test_a_login_on_one_app_server_is_seen_by_the_next(self):
        session_key = self.log_in(Client())

        # Another app server: its own client and session store, only the browser's cookie.
        store = session_store()(session_key)
        self.assertEqual(store.get("_auth_user_id"), str(self.staf.pk))
        other = Client()
        other.cookies[settings.SESSION_COOKIE_NAME] = session_key
        response = other.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.wsgi_request.user, self.staf)

    def test_the_session_is_in_redis_under_this_site_s_prefix(self):
        session_key = self.log_in(Client())
        store = session_store()(session_key)
        key = caches["default"].make_key(store.cache_key)
        self.assertTrue(key.startswith(f"{KEY_PREFIX}:"))
        raw = redis_client().get(key)
        self.assertIsNotNone(raw, f"{key} is not in Redis")
        self.assertEqual(pickle.loads(raw)["_auth_user_id"], str(self.staf.pk))
        # Redis drops it when the session ends: a cached session is never read past its age.
        self.assertAlmostEqual(redis_client().ttl(key), settings.SESSION_COOKIE_AGE, delta=60)

    def test_logging_out_removes_the_session_from_redis_too(self):
        client = Client()
        session_key = self.log_in(client)
        key = caches["default"].make_key(session_store()(session_key).cache_key)
        client.post("/keluar/")
        self.assertFalse(redis_client().exists(key))
        other = Client()
        other.cookies[settings.SESSION_COOKIE_NAME] = session_key
        self.assertRedirects(other.get("/"), "/masuk/?next=/", fetch_redirect_response=False)

    @behind(2)
    def test_a_lockout_holds_on_every_app_server_and_only_for_its_client(self):
        # django-axes counts failures in the database, not in a per-process cache; each request
        # here is a new client, as if the balancer sent it to another app server.
        def log_in(password, client_address):
            return Client().post(
                "/masuk/",
                {"username": "staf", "password": password},
                HTTP_X_FORWARDED_FOR=f"{client_address}, 10.0.0.1",
            )

        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            log_in("salah", "203.0.113.9")
        self.assertEqual(log_in(PASSWORD, "203.0.113.9").status_code, 429)
        self.assertRedirects(log_in(PASSWORD, "198.51.100.7"), "/", fetch_redirect_response=False)


@with_redis
class VerifiedChangeIsNeverStaleTests(RedisTestMixin, WorkflowViewTestCase):
    def test_a_verified_level_shows_on_the_next_request_of_anyone(self):
        # Another DP3A user, on "another app server", has the pages open before and after.
        watcher = Client()
        watcher.force_login(self.staf_dua)
        kampung_url = f"/kampung/{self.tabanio.desa_kode}/"
        before = watcher.get("/")
        self.assertEqual((card(before, "count-berkembang"), card(before, "count-mandiri")), (25, 3))
        self.assertEqual(official_level(watcher.get(kampung_url)), "Berkembang")

        self.client.force_login(self.pokja_a)
        self.client.post(penilaian_url(), {"aksi": "ajukan", "proposed_level": "mandiri"})
        assessment = Assessment.objects.get(kampung=self.tabanio, status="submitted")
        self.client.force_login(self.staf)
        page = self.client.get(review_url(assessment))
        self.client.post(
            review_url(assessment), verify_data(hidden_version(page, "verifikasi"), reason="")
        )

        after = watcher.get("/")
        self.assertEqual((card(after, "count-berkembang"), card(after, "count-mandiri")), (24, 4))
        self.assertEqual(official_level(watcher.get(kampung_url)), "Mandiri")
        # The cache holds framework state only: sessions, never a page or a number.
        session_prefix = caches["default"].make_key(session_store().cache_key_prefix)
        self.assertEqual(
            [key for key in self.redis_keys() if not key.startswith(session_prefix)], []
        )
