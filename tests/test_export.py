"""The notebooks are the source: exporting them again (in a scratch copy of the repo) gives exactly the committed modules."""
import filecmp
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_nbdev_export_leaves_the_library_unchanged(tmp_path):
    for name in ("settings.ini", "setup.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nbs", tmp_path / "nbs", ignore=shutil.ignore_patterns(".ipynb_checkpoints", "_proc"))
    shutil.copytree(ROOT / "hma_nb", tmp_path / "hma_nb", ignore=shutil.ignore_patterns("__pycache__"))
    r = subprocess.run(["nbdev_export"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    cmp = filecmp.dircmp(ROOT / "hma_nb", tmp_path / "hma_nb", ignore=["__pycache__"])
    changed = cmp.diff_files + cmp.left_only + cmp.right_only
    assert not changed, f"nbdev_export changes {changed}: edit the notebooks, run nbdev_export and commit both"
