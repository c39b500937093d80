"""Settings parsed from SUPPORT_* variables, and the pure helpers (rate limits, ICE, logs)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
from pathlib import Path

import pytest

from panread.pan import mask_pan
from support_server import Settings, SettingsError, create_app
from support_server._ice import ice_servers, turn_credentials
from support_server._logging import PanMaskingFilter
from support_server._origin import origin_allowed
from support_server._ratelimit import KeyedRateLimiter, TokenBucket
from support_server._throttle import MemoryLoginThrottle


def test_defaults() -> None:
    """Without variables the documented defaults apply."""
    settings = Settings.from_env({})
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.data_dir == Path("data")
    assert settings.reconnect_grace_s == 30
    assert settings.max_upload_bytes == 10_000_000
    assert settings.allowed_origins == ()
    assert settings.ocr_workers == 1


def test_values_are_parsed() -> None:
    """Numbers, paths and comma lists are parsed from their variables."""
    settings = Settings.from_env(
        {
            "SUPPORT_PORT": "9000",
            "SUPPORT_DATA_DIR": "/tmp/x",
            "SUPPORT_ALLOWED_ORIGINS": "https://a.example, https://b.example:8443",
            "SUPPORT_RECONNECT_GRACE_S": "2.5",
            "SUPPORT_STUN_URLS": "stun:s.example:3478",
            "SUPPORT_TURN_SECRET": "s",
            "SUPPORT_LOG_LEVEL": "debug",
        }
    )
    assert settings.port == 9000
    assert settings.data_dir == Path("/tmp/x")
    assert settings.allowed_origins == ("https://a.example", "https://b.example:8443")
    assert settings.reconnect_grace_s == 2.5
    assert settings.stun_urls == ("stun:s.example:3478",)
    assert settings.turn_secret == "s"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("var", "value", "fragment"),
    [
        ("SUPPORT_PORT", "eighty", "SUPPORT_PORT"),
        ("SUPPORT_PORT", "70000", "port"),
        ("SUPPORT_OCR_WORKERS", "0", "ocr_workers"),
        ("SUPPORT_RECONNECT_GRACE_S", "-1", "reconnect_grace_s"),
        ("SUPPORT_ALLOWED_ORIGINS", "desk.example", "allowed origin"),
        ("SUPPORT_STUN_URLS", "http://x", "STUN URL"),
        ("SUPPORT_TRUSTED_PROXIES", "10.0.0.0/33", "trusted proxy"),
        ("SUPPORT_OCR_TIMEOUT_S", "0", "ocr_timeout_s"),
        ("SUPPORT_LOG_LEVEL", "LOUD", "log_level"),
        ("SUPPORT_METRICS_ALLOW", "10.0.0.0/33", "metrics network .10.0.0.0/33."),
        ("SUPPORT_METRICS_ALLOW", "localhost", "metrics network 'localhost'"),
    ],
)
def test_bad_values_name_the_problem(var: str, value: str, fragment: str) -> None:
    """A bad value raises SettingsError naming the variable or setting."""
    with pytest.raises(SettingsError, match=fragment):
        Settings.from_env({var: value})


def test_metrics_access_settings() -> None:
    """Metrics default to loopback only; networks are a comma list; the token is never shown."""
    assert Settings().metrics_allow == ("127.0.0.0/8", "::1/128")
    settings = Settings.from_env(
        {"SUPPORT_METRICS_ALLOW": "10.0.0.0/8, fd00::/8", "SUPPORT_METRICS_TOKEN": "t0ken-x"}
    )
    assert settings.metrics_allow == ("10.0.0.0/8", "fd00::/8")
    assert settings.metrics_token == "t0ken-x"
    assert "t0ken-x" not in repr(settings)


def test_unknown_variables_are_reported() -> None:
    """Typos in SUPPORT_* names are listed so the CLI can warn about them."""
    assert Settings.unknown_env_vars({"SUPPORT_PROT": "1", "SUPPORT_PORT": "1"}) == ["SUPPORT_PROT"]


def test_token_bucket_allows_bursts_then_refills() -> None:
    """A bucket allows its burst, refuses more, and refills at its rate."""
    bucket = TokenBucket(rate=2, burst=4)
    assert [bucket.allow(0.0) for _ in range(5)] == [True, True, True, True, False]
    assert bucket.allow(0.5)
    assert not bucket.allow(0.5)


def test_keyed_limiter_is_per_key() -> None:
    """One caller's uploads do not use up another's."""
    limiter = KeyedRateLimiter(rate=1 / 60, burst=1)
    assert limiter.allow("a", 0)[0]
    allowed, retry = limiter.allow("a", 1)
    assert not allowed
    assert retry > 50
    assert limiter.allow("b", 1)[0]


async def test_login_throttle_backs_off_exponentially() -> None:
    """Past the allowed attempts each one doubles the lock-out; a success clears the pair."""
    now = [100.0]
    throttle = MemoryLoginThrottle(max_failures=3, clock=lambda: now[0])
    assert [await throttle.attempt("priya", "10.0.0.1") for _ in range(3)] == [0, 0, 0]
    assert await throttle.attempt("Priya", "10.0.0.1") == 1
    assert await throttle.attempt("priya", "10.0.0.2") == 0
    now[0] = 101.0
    assert await throttle.attempt("priya", "10.0.0.1") == 0
    assert await throttle.attempt("priya", "10.0.0.1") == 2
    await throttle.succeeded("priya", "10.0.0.1")
    assert await throttle.attempt("priya", "10.0.0.1") == 0


def test_turn_credentials_follow_the_rest_api() -> None:
    """TURN credentials are base64(HMAC-SHA1(secret, 'expiry:id'))."""
    username, credential = turn_credentials("secret", "c_1", 1764000000)
    assert username == "1764000000:c_1"
    expected = hmac.new(b"secret", username.encode(), hashlib.sha1).digest()
    assert base64.b64decode(credential) == expected
    settings = Settings(turn_urls=("turn:t.example:3478",), turn_secret="secret", turn_ttl_s=60)
    [turn] = ice_servers(settings, "c_1", 1000.0)
    assert turn["username"] == "1060:c_1"
    assert ice_servers(Settings(turn_urls=("turn:t.example",)), "c_1", 0) == [
        {"urls": ["turn:t.example"]}
    ]


@pytest.mark.parametrize(
    ("origin", "host", "allowed"),
    [
        (None, "desk.example", True),
        ("https://desk.example", "desk.example", True),
        ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
        ("https://desk.example", "desk.example:443", True),
        ("https://evil.example", "desk.example", False),
        ("null", "desk.example", False),
    ],
)
def test_same_origin_check(origin: str | None, host: str, allowed: bool) -> None:
    """Without an allowlist only the server's own origin (or no Origin at all) may connect."""
    assert origin_allowed(origin, host, Settings()) is allowed


def test_pans_are_masked_in_logs() -> None:
    """mask_pan keeps 4 + 2 characters, and the log filter masks PANs anywhere in a line."""
    assert mask_pan("ABCPE1234F") == "ABCPXXXX4F"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "pan=%s", ("ABCPE1234F",), None)
    PanMaskingFilter().filter(record)
    assert record.getMessage() == "pan=ABCPXXXX4F"


async def test_app_throttle_follows_the_login_settings(tmp_path: Path) -> None:
    """The app's login back-off uses the per-pair and per-account limits from the settings."""
    settings = Settings(data_dir=tmp_path, login_max_failures=5, login_account_max_failures=2)
    throttle = create_app(settings, name="throttle_settings").ctx.login_throttle
    assert await throttle.attempt("priya", "10.0.0.1") == 0
    assert await throttle.attempt("priya", "10.0.0.2") == 0
    assert await throttle.attempt("priya", "10.0.0.3") > 0


def test_redis_url_needs_a_redis_scheme() -> None:
    """SUPPORT_REDIS_URL must be a redis:// (or rediss://, unix://) URL; unset means memory."""
    with pytest.raises(SettingsError, match="redis_url"):
        Settings.from_env({"SUPPORT_REDIS_URL": "localhost:6379"})
    url = "redis://127.0.0.1:6379/0"
    assert Settings.from_env({"SUPPORT_REDIS_URL": url}).redis_url == url
    assert Settings.from_env({}).redis_url is None
