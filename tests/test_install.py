"""Install as a user does (issue 24, part 6): `pip install hma_nb` brings only settings.ini's `requirements`, and
`pip install 'hma_nb[sims]'` adds the simulators. Every third-party module the package imports must come from one of
them: at module level only the requirements (so `import hma_nb.X` works without the extras), the simulators only
inside functions of `hma_nb.envs`, where `make_env` turns a missing one into a message naming the extra.
Fast: the sources are read with `ast` and mapped to distributions with importlib.metadata; nothing is installed."""
import ast
import configparser
import functools
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

PKG = ROOT / "hma_nb"


def third_party_imports(path) -> dict[str, bool]:
    "Top-level names of the non-stdlib modules `path` imports: {name: imported at import time (not only inside a function)}."
    found: dict[str, bool] = {}

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            names = []
            if isinstance(child, ast.Import):
                names = [a.name for a in child.names]
            elif isinstance(child, ast.ImportFrom) and child.level == 0:
                names = [child.module]
            for n in names:
                top = n.split(".")[0]
                if top not in sys.stdlib_module_names and top != "hma_nb":
                    found[top] = found.get(top, False) or not in_function
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def declared() -> tuple[set[str], set[str]]:
    "Canonical distribution names of settings.ini's `requirements` and of setup.py's `sims` extra (extras of those expanded)."
    cfg = configparser.ConfigParser(delimiters=["="])
    cfg.read(ROOT / "settings.ini", encoding="utf-8")
    core = [Requirement(r) for r in cfg["DEFAULT"]["requirements"].split()]
    sims = None
    for node in ast.walk(ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for k, v in zip(node.keys, node.values):
                if isinstance(k, ast.Constant) and k.value == "sims":
                    sims = [Requirement(ast.literal_eval(e)) for e in v.elts]
    assert sims is not None, "setup.py declares no `sims` extra"
    return expand(core), expand(sims)


def expand(reqs: list[Requirement]) -> set[str]:
    "The requirements' names plus what their extras bring (gymnasium[mujoco] brings mujoco)."
    out = set()
    for r in reqs:
        out.add(canonicalize_name(r.name))
        for extra in r.extras:
            try:
                deps = [Requirement(d) for d in requires(r.name) or []]
            except PackageNotFoundError:
                continue
            out |= {canonicalize_name(d.name) for d in deps if d.marker is not None and d.marker.evaluate({"extra": extra})}
    return out


@functools.lru_cache(maxsize=None)
def module_dists() -> dict[str, list[str]]:
    return packages_distributions()


def distributions(module: str) -> set[str]:
    dists = module_dists().get(module)
    assert dists, f"{module!r} is imported by hma_nb but no installed distribution provides it (run scripts/setup.sh)"
    return {canonicalize_name(d) for d in dists}


def test_every_module_level_import_is_a_declared_requirement():
    core, _ = declared()
    bad = {f"{p.name}: {m} ({', '.join(sorted(distributions(m)))})" for p in sorted(PKG.glob("*.py"))
           for m, eager in third_party_imports(p).items() if eager and not distributions(m) & core}
    assert not bad, f"imported at module level but not in settings.ini `requirements`: {sorted(bad)}"


def test_every_lazy_import_is_declared_and_simulators_stay_in_envs():
    from hma_nb.envs import SIM_MODULES
    core, sims = declared()
    for p in sorted(PKG.glob("*.py")):
        for m, eager in third_party_imports(p).items():
            dists = distributions(m)
            assert dists & (core | sims), f"{p.name} imports {m} ({sorted(dists)}): declare it in requirements or the sims extra"
            if not dists & core:                          # only the sims extra brings it
                assert p.name == "envs.py" and not eager, f"{p.name} imports simulator module {m}: only lazily, inside hma_nb.envs"
                assert m in SIM_MODULES, f"{m} is missing from hma_nb.envs.SIM_MODULES, so make_env would not name the extra"


def test_fastcore_is_a_runtime_requirement():
    "data.py, envs.py and rollout.py build classes with fastcore's @patch: a plain install must bring it (nbdev 2 needs fastcore<2)."
    core, _ = declared()
    assert "fastcore" in core
    assert any(third_party_imports(PKG / f).get("fastcore") for f in ("data.py", "envs.py"))


def test_every_module_imports_without_dev_tools_or_simulators():
    "In a fresh interpreter where the dev extra and the simulators are absent, every hma_nb module still imports."
    from hma_nb.envs import SIM_MODULES
    dev = {"nbdev", "execnb", "pytest", "playwright"}
    absent = sorted(set(SIM_MODULES) | {m for m, ds in module_dists().items()
                                        if {canonicalize_name(d) for d in ds} & dev and m.isidentifier()})
    mods = sorted(p.stem for p in PKG.glob("*.py") if p.stem != "__init__")
    code = (f"import sys\nfor m in {absent!r}: sys.modules[m] = None\n"
            f"import importlib\nfor m in {mods!r}: importlib.import_module('hma_nb.' + m)\nprint('ok', len({mods!r}))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert r.returncode == 0 and r.stdout.startswith("ok"), r.stderr[-3000:]
