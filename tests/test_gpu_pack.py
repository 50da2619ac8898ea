"""scripts/gpu_generalist.py packs the training data small for a GPU machine: here, one robot out of a store of six."""
import json

import pytest
from conftest import load_script


@pytest.fixture(scope="module")
def gpu():
    return load_script("scripts/gpu_generalist.py")


def test_pack_one_robot(gpu, samples, tmp_path, capsys):
    store, model = samples / "episodes", samples / "models" / "discrete"
    gpu.main(["pack", "--root", str(store), "--init", str(model), "--domains", "pusht", "--out", str(tmp_path / "pack")])
    meta = json.loads((tmp_path / "pack" / "pack.json").read_text())
    assert meta["domains"] == ["pusht"] and not (tmp_path / "pack.part").exists()      # built aside, then renamed
    assert sorted(p.name for p in (tmp_path / "pack").glob("*-tokens.xz")) == ["pusht-tokens.xz"]
    gpu.main(["check", "--pack", str(tmp_path / "pack"), "-n", "10"])            # raises SystemExit if a window differs
    out = capsys.readouterr().out
    assert "10 random ones identical to the store's" in out
    assert {line.split(":")[0] for line in out.splitlines() if ":" in line} == {"pusht"}      # nothing said of another robot
    from hma_nb.model import load_model
    assert list(gpu._windows(tmp_path / "pack", load_model(model), T=10)) == ["pusht"]


def test_pack_refuses_an_unknown_robot(gpu, samples, tmp_path):
    with pytest.raises(SystemExit, match="does not know ant; it knows cheetah"):
        gpu.main(["pack", "--root", str(samples / "episodes"), "--init", str(samples / "models" / "discrete"),
                  "--domains", "pusht,ant", "--out", str(tmp_path / "pack")])
    assert not (tmp_path / "pack").exists()                                       # nothing half-written
