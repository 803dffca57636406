"""Token stores: where saved logins (profiles) live between runs.

- `MemoryTokenStore`: a dict, for tests and short-lived scripts.
- `FileTokenStore`: one JSON file, private to the user (mode 0600), written atomically.
- `KeyringTokenStore`: the operating system's keyring (the ``keyring`` extra).
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

import platformdirs

from ..errors import ConfigError
from .stored import StoredProfile, check_profile_name

__all__ = [
    "FileTokenStore",
    "KeyringTokenStore",
    "MemoryTokenStore",
    "TokenStore",
    "config_dir",
    "default_store",
]

FILE_NAME = "tokens.json"
_FORMAT = 1


@runtime_checkable
class TokenStore(Protocol):
    """Saves, loads and forgets profiles by name."""

    def load(self, profile: str) -> StoredProfile | None:
        """The saved profile, or ``None`` when there is none of that name."""

    def save(self, profile: str, stored: StoredProfile) -> None:
        """Save (or replace) a profile."""

    def delete(self, profile: str) -> None:
        """Forget a profile; nothing happens when there is none of that name."""

    def list(self) -> list[str]:
        """The names of the saved profiles, sorted."""


def config_dir() -> Path:
    """``$SOCIALKIT_HOME``, else the user config directory (``~/.config/socialkit`` on Linux)."""
    home = os.environ.get("SOCIALKIT_HOME")
    if home:
        return Path(home).expanduser()
    return Path(platformdirs.user_config_dir("socialkit", appauthor=False))


def default_store() -> TokenStore:
    """The store `socialkit.connect(profile=...)` and ``socialkit auth`` use by default."""
    return FileTokenStore()


class MemoryTokenStore:
    """Profiles in a dict: nothing outlives the process."""

    def __init__(self) -> None:
        self._profiles: dict[str, StoredProfile] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"MemoryTokenStore(profiles={self.list()!r})"

    def load(self, profile: str) -> StoredProfile | None:
        """The saved profile, or ``None``."""
        return self._profiles.get(check_profile_name(profile))

    def save(self, profile: str, stored: StoredProfile) -> None:
        """Save (or replace) a profile."""
        with self._lock:
            self._profiles[check_profile_name(profile)] = stored

    def delete(self, profile: str) -> None:
        """Forget a profile."""
        with self._lock:
            self._profiles.pop(check_profile_name(profile), None)

    def list(self) -> list[str]:
        """The saved profile names, sorted."""
        return sorted(self._profiles)


class FileTokenStore:
    """Profiles in one JSON file that only its owner may read.

    The file is created with mode 0600 in a 0700 directory and replaced
    atomically (temporary file, fsync, ``os.replace``), so a crash mid-write
    leaves the previous version intact. A file that other users can read or
    write is refused with a `ConfigError` that says how to fix it.

    Args:
        path: The JSON file, or a directory to hold ``tokens.json``; by default
            ``tokens.json`` in `config_dir`.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        target = Path(path).expanduser() if path is not None else config_dir()
        self.path = target / FILE_NAME if path is None or target.is_dir() else target
        self._lock = threading.RLock()
        self._depth = 0

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"

    def load(self, profile: str) -> StoredProfile | None:
        """The saved profile, or ``None``."""
        entry = self._read().get(check_profile_name(profile))
        return None if entry is None else StoredProfile.from_json(entry)

    def save(self, profile: str, stored: StoredProfile) -> None:
        """Save (or replace) a profile, atomically."""
        check_profile_name(profile)
        with self.locked():
            profiles = self._read()
            profiles[profile] = stored.to_json()
            self._write(profiles)

    def delete(self, profile: str) -> None:
        """Forget a profile."""
        check_profile_name(profile)
        with self.locked():
            profiles = self._read()
            if profiles.pop(profile, None) is not None:
                self._write(profiles)

    def list(self) -> list[str]:
        """The saved profile names, sorted."""
        return sorted(self._read())

    # -- internals -------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        try:
            with open(self.path, "rb") as file:
                self._check_private(os.fstat(file.fileno()))
                raw = file.read()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            raise ConfigError(
                f"cannot read the token store {self.path}: {exc.strerror}", field="store"
            ) from None
        try:
            data = json.loads(raw)
            profiles = data["profiles"]
        except (ValueError, KeyError, TypeError):
            raise ConfigError(
                f"the token store {self.path} is not valid socialkit JSON; "
                "move it away and log in again",
                field="store",
            ) from None
        if not isinstance(profiles, dict):
            raise ConfigError(f"the token store {self.path} has no profiles", field="store")
        return profiles

    def _check_private(self, status: os.stat_result) -> None:
        if os.name != "posix":
            return  # Windows: the file lives in the user's profile; modes do not apply
        loose = stat.S_IMODE(status.st_mode) & 0o077
        if loose:
            raise ConfigError(
                f"refusing to use the token store {self.path}: it is readable or writable by "
                f"other users (mode {stat.S_IMODE(status.st_mode):04o}); "
                f"fix it with: chmod 600 {self.path}",
                field="store",
            )

    def _write(self, profiles: dict[str, Any]) -> None:
        folder = self.path.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        payload = json.dumps({"format": _FORMAT, "profiles": profiles}, indent=2, sort_keys=True)
        descriptor, temporary = tempfile.mkstemp(prefix=".tokens-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp: mode 0600
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(folder)

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store against other threads (a lock) and processes (``flock``).

        `save` and `delete` take it for their read-modify-write; hold it around a
        load and a save to make them one step (a token refresh does). Re-entrant
        within a thread.
        """
        with self._lock:
            self._depth += 1
            try:
                if self._depth > 1:
                    yield
                else:
                    with self._flock():
                        yield
            finally:
                self._depth -= 1

    @contextlib.contextmanager
    def _flock(self) -> Iterator[None]:
        try:
            import fcntl
        except ImportError:  # Windows
            yield
            return
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        descriptor = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
            os.close(descriptor)


def _fsync_directory(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where directories cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


class KeyringTokenStore:
    """Profiles in the operating system's keyring (``pip install 'socialkit[keyring]'``).

    Each profile is one keyring entry (service ``socialkit``, user = profile
    name); an index entry remembers the names, since keyrings cannot list.
    """

    INDEX = "__socialkit_profiles__"

    def __init__(self, service: str = "socialkit") -> None:
        self.service = service
        self._keyring = _import_keyring()
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"KeyringTokenStore(service={self.service!r})"

    def load(self, profile: str) -> StoredProfile | None:
        """The saved profile, or ``None``."""
        raw = self._keyring.get_password(self.service, check_profile_name(profile))
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            raise ConfigError(
                f"the keyring entry of profile {profile!r} is not socialkit JSON", field="store"
            ) from None
        return StoredProfile.from_json(data)

    def save(self, profile: str, stored: StoredProfile) -> None:
        """Save (or replace) a profile."""
        check_profile_name(profile)
        with self._lock:
            self._keyring.set_password(self.service, profile, json.dumps(stored.to_json()))
            self._set_index(set(self.list()) | {profile})

    def delete(self, profile: str) -> None:
        """Forget a profile."""
        check_profile_name(profile)
        with self._lock:
            with contextlib.suppress(self._keyring.errors.PasswordDeleteError):
                self._keyring.delete_password(self.service, profile)
            self._set_index(set(self.list()) - {profile})

    def list(self) -> list[str]:
        """The saved profile names, sorted."""
        raw = self._keyring.get_password(self.service, self.INDEX)
        try:
            names = json.loads(raw) if raw else []
        except ValueError:
            names = []
        return sorted(str(name) for name in names)

    def _set_index(self, names: set[str]) -> None:
        self._keyring.set_password(self.service, self.INDEX, json.dumps(sorted(names)))


def _import_keyring() -> ModuleType:
    try:
        module = importlib.import_module("keyring")
        importlib.import_module("keyring.errors")
    except ImportError:
        raise ConfigError(
            "KeyringTokenStore needs the keyring package: pip install 'socialkit[keyring]'",
            field="store",
        ) from None
    return module
