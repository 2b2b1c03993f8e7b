"""Shared test helpers: paths, running the CLI as a user would, Arabic text strategies."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"

ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة"
DIACRITICS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"
PUNCT = "،؛؟«»“”.,!?:\"'()-–—…"
arabic_text = st.text(
    alphabet=ARABIC_LETTERS + DIACRITICS + "\u0640" + ARABIC_INDIC + "0123456789" + PUNCT + " \n\u200f\u200c" + "abcXYZ",
    max_size=300,
)


def run_rasd(*args: str, input: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `rasd` exactly as a user would (the console script of this environment)."""
    exe = Path(sys.executable).with_name("rasd")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "rasd.cli"]
    env = {**os.environ, "COLUMNS": "120"}
    return subprocess.run([*cmd, *args], input=input, capture_output=True, cwd=cwd or ROOT, env=env, timeout=300)


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path: create a file (str as UTF-8, or raw bytes) under tmp_path."""

    def _write(name: str, content: str | bytes) -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write
