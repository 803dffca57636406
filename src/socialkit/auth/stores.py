"""Token stores: where saved logins (profiles) live between runs.

- `MemoryTokenStore`: a dict, for tests and short-lived scripts.
- `FileTokenStore`: one JSON file, private to the user (mode 0600), written atomically.
- `KeyringTokenStore`: the operating system's keyring (the ``keyring`` extra).
"""

from __future__ import annotations

import contextlib
import errno
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

from ..errors import ConfigError, StoreError
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
        self._lock = threading.RLock()

    def __repr__(self) -> str:
        return f"MemoryTokenStore(profiles={self.list()!r})"

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the store against other threads across several calls (re-entrant)."""
        with self._lock:
            yield

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
    or a full disk leaves the previous version intact. A file that other users
    can read or write, or a folder they can write to, is refused with a
    `StoreError` (a `ConfigError`) that says how to fix it.

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
            raise self._error(f"cannot read the token store {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(raw)
            profiles = data["profiles"]
        except (ValueError, KeyError, TypeError, RecursionError):
            raise self._error(
                f"the token store {self.path} is not valid socialkit JSON; "
                "move it away and log in again"
            ) from None
        if not isinstance(profiles, dict):
            raise self._error(f"the token store {self.path} has no profiles")
        return profiles

    def _error(self, message: str) -> StoreError:
        return StoreError(message, path=str(self.path), field="store")

    def _check_private(self, status: os.stat_result) -> None:
        if os.name != "posix":
            return  # Windows: the file lives in the user's profile; modes do not apply
        loose = stat.S_IMODE(status.st_mode) & 0o077
        if loose:
            raise self._error(
                f"refusing to use the token store {self.path}: it is readable or writable by "
                f"other users (mode {stat.S_IMODE(status.st_mode):04o}); "
                f"fix it with: chmod 600 {self.path}"
            )

    def _folder(self) -> Path:
        """The store's folder, created 0700, or refused when other users may write to it
        (they could swap the file or plant its lock)."""
        folder = self.path.parent
        try:
            folder.mkdir(mode=0o700, parents=True)
        except FileExistsError:
            pass
        except OSError as exc:
            raise self._error(f"cannot create the folder {folder}: {exc.strerror}") from None
        else:
            return folder  # ours, made 0700 (less, by the umask)
        if os.name == "posix":
            mode = stat.S_IMODE(folder.stat().st_mode)
            if mode & 0o022:
                raise self._error(
                    f"refusing to keep the token store in {folder}: other users may write "
                    f"to it (mode {mode:04o}); fix it with: chmod 700 {folder}"
                )
        return folder

    def _write(self, profiles: dict[str, Any]) -> None:
        folder = self._folder()
        payload = json.dumps({"format": _FORMAT, "profiles": profiles}, indent=2, sort_keys=True)
        try:
            descriptor, temporary = tempfile.mkstemp(prefix=".tokens-", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise self._unwritten(exc) from None
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:  # mkstemp: mode 0600
                file.write(payload)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                raise self._unwritten(exc) from None
            raise
        _fsync_directory(folder)

    def _unwritten(self, exc: OSError) -> StoreError:
        why = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        return self._error(
            f"could not save the token store {self.path}: {why}; the previous version is "
            "intact (free some space or fix the folder, then try again)"
        )

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
        self._folder()
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
