"""Copy the repository's scenarios/ and assets/ into the package when building a wheel.

Authors edit scenarios/ and assets/ at the top of the checkout; an installed package finds its
copies under negotiation/data/ (see negotiation.resources).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithData(build_py):
    """build_py that also ships scenarios/ and assets/ as package data."""

    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "negotiation" / "data"
        for name in ("scenarios", "assets"):
            src = ROOT / name
            if src.is_dir():
                dest = target / name
                if dest.exists():
                    shutil.rmtree(dest)
                shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.py"))


setup(cmdclass={"build_py": BuildWithData})
