"""The panread command: readable summaries, JSON Lines, error lines and exit status."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from panread import PanReader
from panread.cli import main
from panread.testing import CardSpec, make_sample

SPEC = CardSpec(
    layout="new",
    pan="BNZPM2501F",
    name="PRIYA MEHTA",
    father_name="ANIL KUMAR MEHTA",
    dob=dt.date(1991, 8, 14),
)


@pytest.fixture(scope="module")
def card_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "card.png"
    path.write_bytes(make_sample(SPEC, "clean", seed=3).data)
    return path


def test_bad_files_give_error_lines_and_nonzero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With --json, each unreadable file gives a line with source and error; exit is 1."""
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = tmp_path / "notes.txt"
    text.write_text("not a card")
    status = main(["--json", str(empty), str(text)])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert lines == [
        {
            "source": str(empty),
            "error": {"code": "empty_file", "message": lines[0]["error"]["message"]},
        },
        {
            "source": str(text),
            "error": {"code": "not_an_image", "message": lines[1]["error"]["message"]},
        },
    ]
    assert all(line["error"]["message"] for line in lines)


def test_readable_mode_prints_errors_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --json, an unreadable file's message goes to stderr with its code."""
    text = tmp_path / "notes.txt"
    text.write_text("not a card")
    assert main([str(text)]) == 1
    err = capsys.readouterr().err
    assert str(text) in err
    assert "not_an_image" in err


def test_invalid_options_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """A non-positive --threads is a usage error (exit 2)."""
    with pytest.raises(SystemExit) as info:
        main(["--threads", "0", "x.jpg"])
    assert info.value.code == 2


@pytest.mark.model
def test_json_lines_hold_source_and_card(
    card_file: Path, tmp_path: Path, reader: PanReader, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json prints one object per image: source plus to_dict(); others run after a failure."""
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    status = main(["--json", str(bad), str(card_file)])
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert out[0]["source"] == str(bad)
    assert "error" in out[0]
    assert out[1]["source"] == str(card_file)
    assert (out[1]["pan"], out[1]["name"], out[1]["father_name"], out[1]["dob"]) == (
        "BNZPM2501F",
        "PRIYA MEHTA",
        "ANIL KUMAR MEHTA",
        "1991-08-14",
    )


@pytest.mark.model
def test_installed_command_prints_a_readable_summary(card_file: Path) -> None:
    """The `panread` console script prints the fields of a card and exits 0."""
    exe = Path(sys.executable).parent / "panread"
    result = subprocess.run(
        [str(exe), "--threads", "2", str(card_file)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "BNZPM2501F" in result.stdout
    assert "PRIYA MEHTA" in result.stdout
    assert "1991-08-14" in result.stdout
