"""Token stores: memory, file (private, atomic) and keyring (optional)."""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
import types
from pathlib import Path

import pytest

from socialkit.auth import (
    FileTokenStore,
    KeyringTokenStore,
    MemoryTokenStore,
    StoredProfile,
    StoredToken,
    TokenStore,
    default_store,
)
from socialkit.auth.stores import config_dir
from socialkit.errors import ConfigError, StoreError

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def profile(token: str = "T1") -> StoredProfile:
    return StoredProfile(
        platform="mastodon",
        settings={"instance": "https://example.social", "access_token": token},
        token=StoredToken(
            access_token=token,
            refresh_token="R1",
            expires_at=1.0,
            token_endpoint="https://example.social/oauth/token",
            client_id="c",
        ),
    )


@pytest.fixture
def file_store(tmp_path: Path) -> FileTokenStore:
    return FileTokenStore(tmp_path / "home" / "tokens.json")


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_a_saved_profile_loads_back_equal(kind: str, tmp_path: Path) -> None:
    store: TokenStore = MemoryTokenStore() if kind == "memory" else FileTokenStore(tmp_path / "t")
    saved = profile()
    store.save("brand", saved)
    assert store.load("brand") == saved


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_list_and_delete(kind: str, tmp_path: Path) -> None:
    store: TokenStore = MemoryTokenStore() if kind == "memory" else FileTokenStore(tmp_path / "t")
    store.save("b", profile())
    store.save("a", profile())
    store.delete("b")
    store.delete("missing")
    assert (store.list(), store.load("b")) == (["a"], None)


def test_secrets_are_secret_in_memory_but_real_on_disk(file_store: FileTokenStore) -> None:
    file_store.save("brand", profile("ACCESS-CANARY"))
    loaded = file_store.load("brand")
    assert loaded is not None
    assert "ACCESS-CANARY" not in repr(loaded)
    assert loaded.settings["access_token"].get_secret_value() == "ACCESS-CANARY"
    on_disk = json.loads(file_store.path.read_text())
    assert on_disk["profiles"]["brand"]["settings"]["access_token"] == "ACCESS-CANARY"


@posix_only
def test_the_file_is_created_with_mode_0600(file_store: FileTokenStore) -> None:
    file_store.save("brand", profile())
    assert stat.S_IMODE(file_store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(file_store.path.parent.stat().st_mode) == 0o700


@posix_only
def test_the_file_stays_0600_under_a_permissive_umask(file_store: FileTokenStore) -> None:
    old = os.umask(0)
    try:
        file_store.save("brand", profile())
        file_store.save("other", profile())
    finally:
        os.umask(old)
    assert stat.S_IMODE(file_store.path.stat().st_mode) == 0o600


@posix_only
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o620])
def test_a_loose_file_is_refused_with_the_fix(file_store: FileTokenStore, mode: int) -> None:
    file_store.save("brand", profile())
    file_store.path.chmod(mode)
    with pytest.raises(ConfigError, match=r"chmod 600 .*tokens\.json") as caught:
        file_store.load("brand")
    assert f"{mode:04o}" in str(caught.value)


@posix_only
def test_a_loose_file_is_not_written_either(file_store: FileTokenStore) -> None:
    file_store.save("brand", profile())
    file_store.path.chmod(0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        file_store.save("other", profile())


def test_a_crash_before_the_rename_leaves_the_old_file_intact(
    file_store: FileTokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_store.save("brand", profile("OLD"))
    before = file_store.path.read_bytes()
    written: list[str] = []

    def crash(source: str, target: str) -> None:
        written.append(Path(source).read_text())  # the new version was fully written...
        raise OSError("power cut")  # ...and the process dies before the rename

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(StoreError, match="power cut"):
        file_store.save("brand", profile("NEW"))
    monkeypatch.undo()
    assert "NEW" in written[0]
    assert file_store.path.read_bytes() == before
    loaded = file_store.load("brand")
    assert loaded is not None
    assert loaded.settings["access_token"].get_secret_value() == "OLD"
    assert [p.name for p in file_store.path.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_corrupt_file_is_a_config_error_without_its_content(
    file_store: FileTokenStore,
) -> None:
    file_store.save("brand", profile())
    file_store.path.write_text('{"profiles": ["SECRET-CANARY"')
    with pytest.raises(ConfigError, match="not valid socialkit JSON") as caught:
        file_store.load("brand")
    assert "CANARY" not in str(caught.value)


def test_a_missing_file_is_an_empty_store(file_store: FileTokenStore) -> None:
    assert (file_store.list(), file_store.load("brand")) == ([], None)


@pytest.mark.parametrize("name", ["", "../etc", "a b", "-x", "x" * 200])
def test_a_bad_profile_name_is_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="invalid profile name"):
        MemoryTokenStore().save(name, profile())


def test_the_default_location_follows_socialkit_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIALKIT_HOME", str(tmp_path))
    assert config_dir() == tmp_path
    store = default_store()
    assert isinstance(store, FileTokenStore)
    assert store.path == tmp_path / "tokens.json"


def test_without_socialkit_home_it_uses_the_user_config_dir(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOCIALKIT_HOME", raising=False)
    assert config_dir().name == "socialkit"


def test_a_directory_path_holds_tokens_json(tmp_path: Path) -> None:
    assert FileTokenStore(tmp_path).path == tmp_path / "tokens.json"


# -- keyring ---------------------------------------------------------------------------------


def test_keyring_store_names_the_extra_when_keyring_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # import keyring -> ImportError
    with pytest.raises(ConfigError, match=r"socialkit\[keyring\]"):
        KeyringTokenStore()


@pytest.fixture
def fake_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    vault: dict[tuple[str, str], str] = {}
    errors = types.ModuleType("keyring.errors")

    class PasswordDeleteError(Exception):
        pass

    errors.PasswordDeleteError = PasswordDeleteError  # type: ignore[attr-defined]
    module = types.ModuleType("keyring")
    module.errors = errors  # type: ignore[attr-defined]
    module.get_password = lambda s, u: vault.get((s, u))  # type: ignore[attr-defined]
    module.set_password = lambda s, u, p: vault.__setitem__((s, u), p)  # type: ignore[attr-defined]

    def delete_password(service: str, user: str) -> None:
        if (service, user) not in vault:
            raise PasswordDeleteError(user)
        del vault[(service, user)]

    module.delete_password = delete_password  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    monkeypatch.setitem(sys.modules, "keyring.errors", errors)
    return vault


def test_keyring_store_round_trips_and_lists(fake_keyring: dict[tuple[str, str], str]) -> None:
    store = KeyringTokenStore()
    store.save("brand", profile())
    store.save("other", profile())
    store.delete("other")
    store.delete("never-saved")
    loaded = store.load("brand")
    assert loaded is not None
    assert loaded.platform == "mastodon"
    assert store.list() == ["brand"]
    assert ("socialkit", "brand") in fake_keyring


@pytest.mark.skipif(os.name != "posix", reason="folder modes are POSIX")
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o757])
def test_a_folder_other_users_may_write_is_refused(tmp_path: Path, mode: int) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(mode)
    store = FileTokenStore(folder / "tokens.json")
    with pytest.raises(StoreError, match=f"chmod 700 {folder}") as raised:
        store.save("brand", profile())
    assert raised.value.path == str(folder / "tokens.json")
    assert list(folder.iterdir()) == []  # no token, no lock file was written there


def test_a_full_disk_is_a_store_error_and_the_old_file_stays(
    file_store: FileTokenStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    file_store.save("brand", profile("OLD"))
    before = file_store.path.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(StoreError, match="the disk is full") as raised:
        file_store.save("brand", profile("NEW"))
    monkeypatch.undo()
    assert str(file_store.path) in str(raised.value)
    assert file_store.path.read_bytes() == before
    assert [p.name for p in file_store.path.parent.iterdir() if p.suffix == ".tmp"] == []
