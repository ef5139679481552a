"""The wheel installs one import package, `stratlog`, and works beside packages named like its folders.

Packages called `infrastructure` and `examples` exist on PyPI, and a notebook folder may hold its own
`domain/`: none of them may shadow stratlog's code, and uninstalling stratlog must not touch them.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDER_NAMES = ("domain", "application", "infrastructure", "cli", "examples")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    return next(out.glob("stratlog-*.whl"))


def test_the_wheel_holds_only_the_stratlog_package_at_the_top_level(wheel):
    names = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {n for n in names if not n.endswith(".dist-info")} == {"stratlog"}
    assert "stratlog/examples/alpine-2023-06.yaml" in zipfile.ZipFile(wheel).namelist()


def _fresh_venv_with(wheel: Path, where: Path) -> Path:
    """A new venv with the wheel (no dependencies) that borrows this venv's libraries after its own."""
    venv.EnvBuilder(with_pip=False).create(where)
    purelib = Path(sysconfig.get_path("purelib", vars={"base": str(where), "platbase": str(where)}))
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(purelib)
    for name in ("infrastructure", "examples"):  # impostors that explode if stratlog imports them
        package = purelib / name
        package.mkdir()
        (package / "__init__.py").write_text(f"raise ImportError('this is not stratlog: {name}')\n")
    borrowed = sysconfig.get_path("purelib")
    (purelib / "zz-borrowed.pth").write_text(borrowed + "\n")  # appended last: the wheel's stratlog wins
    return where / "bin" / "python"


def test_stratlog_demo_runs_beside_packages_named_infrastructure_and_examples(wheel, tmp_path):
    python = _fresh_venv_with(wheel, tmp_path / "venv")
    notebook = tmp_path / "notebook"
    (notebook / "domain").mkdir(parents=True)
    (notebook / "domain" / "__init__.py").write_text("raise ImportError('the notebook has its own domain')\n")
    done = subprocess.run([str(python), "-c", "import sys; from stratlog.cli.main import main; "
                           "sys.argv = ['stratlog', '--db', 'demo.db', 'demo']; main()"],
                          cwd=notebook, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Targets of alpine as of 2023-06-30" in done.stdout
    located = subprocess.run([str(python), "-c", "import stratlog.domain, sys; print(stratlog.domain.__file__)"],
                             cwd=notebook, capture_output=True, text=True, timeout=60)
    assert str(tmp_path / "venv") in located.stdout
