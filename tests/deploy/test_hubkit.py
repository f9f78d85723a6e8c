"""The hub test's own kit: a private checkout is opened to the students and closed again."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from hubkit import searchable_by_all


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_private_checkout_in_a_private_folder_is_entered_by_others_then_closed(
    tmp_path,
) -> None:
    private = tmp_path / "private"
    checkout = private / "clone"
    (checkout / "src").mkdir(parents=True)
    (checkout / "src" / "module.py").write_text("x = 1\n")
    private.chmod(0o700)
    checkout.chmod(0o700)  # a clone made private itself, not only its parent
    with searchable_by_all(checkout):
        assert _mode(private) & stat.S_IXOTH and _mode(checkout) & stat.S_IXOTH
        if os.geteuid() == 0:  # as another user, the way a student's server reads it
            entered = subprocess.run(
                ["runuser", "-u", "nobody", "--", "cat", str(checkout / "src" / "module.py")],
                capture_output=True,
                text=True,
            )
            assert entered.stdout == "x = 1\n", entered.stderr
    assert (_mode(private), _mode(checkout)) == (0o700, 0o700)


def test_an_open_checkout_keeps_its_modes(tmp_path) -> None:
    checkout = tmp_path / "clone"
    checkout.mkdir(mode=0o755)
    before = _mode(checkout)
    with searchable_by_all(checkout):
        assert _mode(checkout) == before
    assert _mode(checkout) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="runuser needs root")
def test_nobody_is_kept_out_without_it(tmp_path) -> None:
    """The fixture above would prove nothing if a 0700 folder let others in anyway."""
    checkout = tmp_path / "clone"
    checkout.mkdir()
    (checkout / "module.py").write_text("x = 1\n")
    checkout.chmod(0o700)
    with searchable_by_all(tmp_path):  # every folder above the checkout open
        kept_out = subprocess.run(
            ["runuser", "-u", "nobody", "--", "cat", str(checkout / "module.py")],
            capture_output=True,
        )
    assert kept_out.returncode != 0
