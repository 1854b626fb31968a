"""Files the program writes get the user's normal permissions: 0666 less the umask, not 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from negotiation import persist
from negotiation.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")


@pytest.fixture
def umask() -> Iterator[None]:
    """Restore the process's umask after a test that sets it."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_a_new_file_gets_0666_less_the_umask(umask: None, tmp_path: Path, mask: int, expected: int) -> None:
    os.umask(mask)
    target = tmp_path / "out.json"
    persist.write_atomic(target, b"{}\n", keep_previous=False)
    assert mode(target) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_file_written_over_keeps_its_permissions_and_its_backup(umask: None, tmp_path: Path) -> None:
    target = tmp_path / "save.json"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    persist.write_atomic(target, b"new\n")
    assert target.read_bytes() == b"new\n" and mode(target) == 0o640
    assert (tmp_path / "save.json.bak").read_bytes() == b"old\n"


def test_the_command_line_writes_readable_files(umask: None, tmp_path: Path) -> None:
    out = tmp_path / "scenario.schema.json"
    assert main(["schema", "-o", str(out)]) == 0
    assert mode(out) == 0o644
