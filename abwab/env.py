"""Small helpers that read settings from the environment with safe defaults."""

import os
import secrets
from pathlib import Path


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into var/ and kept."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


def email_config(url: str, mail_dir: Path) -> dict:
    """Django's EMAIL_* settings from one URL (ABWAB_EMAIL_URL):

    - smtp://user:password@host:587?tls=1  (STARTTLS; `ssl=1` for implicit TLS on 465,
      `timeout=30` in seconds), `smtps://…` is the same as `ssl=1`;
    - file:///path/to/folder (each email a file; the default, in `<var dir>/mail/`);
    - console:// (printed) and locmem:// (kept in memory, for tests).

    User and password are percent-decoded, so a password may hold any character."""
    from urllib.parse import parse_qs, unquote, urlsplit

    if not url:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    scheme = parts.scheme.lower()
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path) or str(mail_dir),
        }
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme not in {"smtp", "smtps"}:
        raise ValueError(f"ABWAB_EMAIL_URL: unknown scheme {parts.scheme!r}")
    use_ssl = scheme == "smtps" or query.get("ssl", "") in {"1", "true", "yes"}
    use_tls = not use_ssl and query.get("tls", "") in {"1", "true", "yes"}
    return {
        # Django's SMTP backend with the hand-over point the sending engine records (see
        # abwab/messaging/email.py): a send killed mid-way and resumed never sends twice.
        "EMAIL_BACKEND": "abwab.messaging.email.SmtpBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(query.get("timeout", "30")),
    }
