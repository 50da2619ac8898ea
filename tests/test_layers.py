"""The layers of the package (nbs/layout.ipynb): the model code (trunk, stems, diffusion, model, objective, sampling) never
imports the episode store, the simulators, the token cache, training, evaluation or the command line — not even inside a
function. Checked on the sources with `ast` by docs/import_map.py, the script that also draws the map."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("hma_import_map", ROOT / "docs" / "import_map.py")
imap = importlib.util.module_from_spec(spec)
spec.loader.exec_module(imap)

# Arrows that are known and waiting for a one-line change in a notebook owned elsewhere; each must still exist (delete it
# here when it is gone). stems -> data: nbs/07_stems.ipynb imports ActionStats from hma_nb.data; it lives in hma_nb.stats.
PENDING: set = set()

BAD = '''
from .core import DataError
import numpy as np
from hma_nb import data
from hma_nb.trunk import Trunk
def f():
    from hma_nb.cli import main
    import hma_nb.train as t
class C:
    def g(self):
        from .evaluate import x
        from . import rollout
lazy = lambda: __import__("hma_nb.widget")
def h():
    import importlib
    return importlib.import_module("hma_nb.generate")
'''


def test_every_kind_of_import_is_seen():
    "Module level (solid) or only inside a function, class or lambda (lazy); relative, absolute and by name."
    assert imap.module_imports(BAD) == {"core": False, "data": False, "trunk": False, "cli": True, "train": True,
                                        "evaluate": True, "rollout": True, "widget": True, "generate": True}


def test_a_model_module_that_reads_the_store_is_caught():
    "The check fails on a bad import in model code, lazy or not, and not on the same import elsewhere."
    graph = {"model": imap.module_imports("from .trunk import Trunk\ndef f():\n    from .data import open_store\n"),
             "sampling": imap.module_imports(BAD), "train": imap.module_imports("from .data import open_store")}
    assert imap.violations(graph) == [("model", "data"), ("sampling", "cli"), ("sampling", "data"), ("sampling", "evaluate"),
                                      ("sampling", "generate"), ("sampling", "rollout"), ("sampling", "train"), ("sampling", "widget")]


def test_model_code_never_imports_the_store_or_the_command_line():
    graph = imap.import_graph(imap.read_sources())
    assert set(imap.MODEL_CODE) <= set(graph), sorted(graph)
    found = set(imap.violations(graph))
    assert found <= PENDING, f"model code imports the store, training or the command line: {sorted(found - PENDING)}"
    assert found == PENDING, f"fixed, remove from PENDING in tests/test_layers.py: {sorted(PENDING - found)}"


def test_the_store_reads_no_model_and_the_codec_no_store():
    "The layers below the model: data and the simulators never import model code; the tokenizer (the codec) only core; the toy world only the foundation."
    graph = imap.import_graph(imap.read_sources())
    for low in ("core", "stats", "toy", "data", "envs", "lerobot", "generate"):
        assert not set(graph[low]) & set(imap.MODEL_CODE), (low, graph[low])
    assert set(graph["tokenizer"]) == {"core"}, graph["tokenizer"]
    assert set(graph["toy"]) <= {"core", "stats"}, graph["toy"]          # the toy world sits at the bottom: every layer may use it
