"""The modules of hma_nb and their imports, drawn by layer (the pictures of nbs/layout.ipynb).

    python docs/import_map.py                                  # the working tree -> nbs/images/layout_new.svg
    python docs/import_map.py --rev 78ad651 --out nbs/images/layout_old.svg --title "before issue 25 (78ad651)"
    python docs/import_map.py --table                          # the same graph as a markdown table, on stdout

Every `hma_nb/*.py` is parsed with `ast`: an import at module level is a solid arrow, one that only happens inside a
function or class body (a lazy import) a dashed one. Arrows into `core`, which every module imports, are left out. An
arrow from the model code (`MODEL_CODE`) to the episode store, the simulators, training, evaluation or the command line
(`NOT_FOR_MODEL`) is drawn red: tests/test_layers.py fails on one. Offline, standard library only.
"""
from __future__ import annotations

import argparse
import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = "hma_nb"
# rows of the picture, bottom to top; within a row, left to right
LAYERS = [("foundation", ["core", "stats", "toy"]),
          ("store, codec, metrics", ["data", "metrics", "tokenizer"]),
          ("data side", ["envs", "generate", "lerobot", "tokens"]),
          ("model parts", ["trunk", "stems", "diffusion"]),
          ("model", ["sampling", "model", "objective"]),
          ("training, evaluation", ["policy_eval", "evaluate", "train", "loop"]),
          ("apps", ["widget", "rollout", "cli"])]
MODEL_CODE = ("trunk", "stems", "diffusion", "model", "objective", "sampling")
NOT_FOR_MODEL = ("data", "lerobot", "envs", "generate", "tokens", "loop", "train", "evaluate", "policy_eval", "cli", "rollout", "widget")


def module_imports(source: str) -> dict[str, bool]:
    "The hma_nb modules that `source` imports: {module: lazy}, lazy when every import of it is inside a function or class."
    found: dict[str, bool] = {}
    def add(name: str, lazy: bool):
        if name and name != "_modidx": found[name] = found.get(name, True) and lazy
    def visit(node, lazy: bool):
        for child in ast.iter_child_nodes(node):
            inner = lazy or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef))
            if isinstance(child, ast.Import):
                for a in child.names:
                    parts = a.name.split(".")
                    if parts[0] == PKG and len(parts) > 1: add(parts[1], inner)
            elif (isinstance(child, ast.Call) and getattr(child.func, "attr", getattr(child.func, "id", None)) in ("import_module", "__import__")
                  and child.args and isinstance(child.args[0], ast.Constant) and str(child.args[0].value).startswith(PKG + ".")):
                add(child.args[0].value.split(".")[1], inner)                     # importlib.import_module("hma_nb.data")
            elif isinstance(child, ast.ImportFrom):
                parts = (child.module or "").split(".")
                if child.level == 1 and parts[0]: add(parts[0], inner)              # from .data import x
                elif child.level == 1 or parts == [PKG]:                           # from . import data / from hma_nb import data
                    for a in child.names: add(a.name, inner)
                elif parts[0] == PKG and child.level == 0: add(parts[1], inner)    # from hma_nb.data import x
            visit(child, inner)
    visit(ast.parse(source), False)
    return found


def read_sources(rev: str | None = None) -> dict[str, str]:
    "{module: source} of hma_nb/*.py in the working tree, or at git revision `rev`."
    if rev is None:
        return {p.stem: p.read_text(encoding="utf-8") for p in sorted((ROOT / PKG).glob("*.py")) if not p.stem.startswith("_")}
    git = lambda *a: subprocess.run(["git", "-C", str(ROOT), *a], capture_output=True, text=True, check=True).stdout
    files = [f for f in git("ls-tree", "--name-only", f"{rev}:{PKG}").split() if f.endswith(".py") and not f.startswith("_")]
    return {f[:-3]: git("show", f"{rev}:{PKG}/{f}") for f in files}


def import_graph(sources: dict[str, str]) -> dict[str, dict[str, bool]]:
    "{module: {imported module: lazy}} for the package's modules (imports of themselves and of unknown names left out)."
    return {m: {k: v for k, v in sorted(module_imports(s).items()) if k in sources and k != m} for m, s in sources.items()}


def violations(graph: dict[str, dict[str, bool]]) -> list[tuple[str, str]]:
    "(model module, module it must not import) for every such import, lazy ones included."
    return sorted((m, k) for m in MODEL_CODE for k in graph.get(m, {}) if k in NOT_FOR_MODEL)


def _positions(graph: dict, width: int, row_h: int) -> tuple[dict[str, tuple[float, float]], list]:
    layers = [(name, [m for m in mods if m in graph]) for name, mods in LAYERS]
    other = sorted(set(graph) - {m for _, mods in layers for m in mods})
    if other: layers.append(("other", other))
    layers = [(n, mods) for n, mods in layers if mods]
    height, left = row_h * len(layers) + 40, 150
    pos = {}
    for r, (_, mods) in enumerate(layers):
        y = height - 30 - r * row_h
        for i, m in enumerate(mods): pos[m] = (left + (width - left - 20) * (i + 0.5) / len(mods), y)
    return pos, layers


def svg(graph: dict[str, dict[str, bool]], title: str, width: int = 640, row_h: int = 64) -> str:
    "The graph as an SVG picture: one row per layer, module boxes, import arrows (dashed: lazy; red: not allowed)."
    pos, layers = _positions(graph, width, row_h)
    height, bw, bh = row_h * len(layers) + 40, 86, 24
    full = height + 16                                                 # and a line of legend
    bad = set(violations(graph))
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{full}" viewBox="0 0 {width} {full}" '
           'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           '<defs><marker id="a" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L8,4 L0,8 z" fill="#777"/></marker><marker id="r" viewBox="0 0 8 8" refX="8" refY="4" '
           'markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#d62728"/></marker></defs>',
           f'<rect width="{width}" height="{full}" fill="white"/>',
           f'<text x="10" y="18" font-size="14" font-weight="bold">{title}</text>']
    for r, (name, mods) in enumerate(layers):
        y = pos[mods[0]][1]
        fill = "#eef4fb" if name in ("model parts", "model") else "#f5f5f5"
        out.append(f'<rect x="4" y="{y - row_h / 2 + 4}" width="{width - 8}" height="{row_h - 8}" rx="6" fill="{fill}"/>')
        out.append(f'<text x="12" y="{y + 4}" fill="#555">{name}</text>')
    for m, deps in graph.items():
        for k, lazy in deps.items():
            if k == "core": continue
            (x1, y1), (x2, y2) = pos[m], pos[k]
            red = (m, k) in bad
            if abs(y1 - y2) < 1:                                       # same row: an arc above the boxes
                y1 = y2 = y1 - bh / 2
                path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 - 30:.0f} {x2:.0f},{y2 - 30:.0f} {x2:.0f},{y2:.0f}"
            else:
                s = 1 if y2 > y1 else -1                               # down to a lower row, or up to a higher one
                y1, y2 = y1 + s * bh / 2, y2 - s * bh / 2
                path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{(y1 + y2) / 2:.0f} {x2:.0f},{(y1 + y2) / 2:.0f} {x2:.0f},{y2:.0f}"
            style = 'stroke="#d62728" stroke-width="2.2"' if red else 'stroke="#999" stroke-width="1"'
            dash = ' stroke-dasharray="4,3"' if lazy else ""
            out.append(f'<path d="{path}" fill="none" {style}{dash} marker-end="url(#{"r" if red else "a"})"/>')
    for m, (x, y) in pos.items():
        model = m in MODEL_CODE
        out.append(f'<rect x="{x - bw / 2:.0f}" y="{y - bh / 2:.0f}" width="{bw}" height="{bh}" rx="4" '
                   f'fill="{"#dbe9f7" if model else "white"}" stroke="#555"/>')
        out.append(f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle">{m}</text>')
    out.append(f'<text x="{width - 10}" y="{full - 8}" text-anchor="end" fill="#777" font-size="10">arrow: imports '
               '(dashed: inside a function; red: model code reaching the store or the CLI); every module imports core</text>')
    return "\n".join(out + ["</svg>"]) + "\n"


def table(graph: dict[str, dict[str, bool]]) -> str:
    "The graph as a markdown table: module, layer, what it imports (lazy imports in italics)."
    layer = {m: name for name, mods in LAYERS for m in mods}
    rows = ["| module | layer | imports (*inside functions*) |", "|---|---|---|"]
    order = [m for _, mods in LAYERS for m in mods if m in graph] + sorted(set(graph) - set(layer))
    for m in order:
        deps = ", ".join(f"*{k}*" if lazy else k for k, lazy in graph[m].items())
        rows.append(f"| `{m}` | {layer.get(m, 'other')} | {deps} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="draw hma_nb's modules and their imports by layer")
    p.add_argument("--rev", help="a git revision to read hma_nb/ from (default: the working tree)")
    p.add_argument("--out", default=str(ROOT / "nbs" / "images" / "layout_new.svg"), help="SVG file to write")
    p.add_argument("--title", default="now", help="the picture's title")
    p.add_argument("--table", action="store_true", help="print a markdown table instead of writing the SVG")
    a = p.parse_args(argv)
    graph = import_graph(read_sources(a.rev))
    if a.table:
        print(table(graph))
    else:
        Path(a.out).write_text(svg(graph, a.title), encoding="utf-8")
        print(f"{a.out}: {len(graph)} modules, {sum(map(len, graph.values()))} imports, "
              f"{len(violations(graph))} model -> store/CLI: {violations(graph)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
