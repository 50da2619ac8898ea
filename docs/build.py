"""Build README.md and the documentation site from the notebooks (run by `bash scripts/docs.sh`).

    python docs/build.py                  # README.md from nbs/index.ipynb, then the site in _docs/
    python docs/build.py --readme         # only README.md
    python docs/build.py --check-readme   # exit 1, writing nothing, if README.md differs from nbs/index.ipynb
    python docs/build.py --execute all    # run every notebook at build (default: the fast ones in EXECUTE)

The steps, all offline:
1. README.md is `nbs/index.ipynb` converted to markdown by nbconvert, its relative links rebased from
   `nbs/` to the repository root. It is written only when it differs, so a build leaves a README that is
   in sync untouched.
2. Each notebook is copied to `_proc/site/` with nbdev's directives applied: `#| hide`, `#| exporti` and
   `#| default_exp` cells dropped, `#| export` cells shown as code and followed by one entry per exported
   name (signature with nbdev's parameter comments, and docstring), `#| echo: false` / `#| output: false` /
   `#| include: false` / `#| hide_line` honoured. Notebooks in EXECUTE are run first (cells with
   `#| eval: false` or a `tst_flags` flag such as `#| slow` are not run), kept in `_proc/exec/` under a key
   of the notebook and the library's sources, so an unchanged notebook is not run twice.
3. Plotly figures become divs drawn by the plotly.js that the plotly package ships, math uses the MathJax
   that jupyter-server-mathjax ships, the theme uses the system fonts: the site needs no network to build or
   to read.
4. mkdocs (Material theme, mkdocs-jupyter for the notebooks) writes the site to `_docs/`, with plain
   `page.html` links so that it also reads opened from disk (`_docs/index.html`; its search box needs it
   served, e.g. `python -m http.server -d _docs`).

Why mkdocs-material + mkdocs-jupyter rather than Jupyter Book 1 / Sphinx + myst-nb: pure-Python wheels from
PyPI that need neither Quarto nor a newer docutils (the Sphinx that myst-nb or Jupyter Book 1 resolve to
upgrades it, which other tools pin: awscli wants docutils<=0.19), notebooks rendered by nbconvert exactly as
Jupyter shows them, and a build of the whole site in seconds once the notebooks have run. The nbdev-specific
parts (directives, API entries) are done here, before mkdocs sees them.
"""
from __future__ import annotations

import argparse
import ast
import configparser
import enum
import hashlib
import html
import importlib
import importlib.util
import inspect
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
DOCS = Path(__file__).resolve().parent
PROC = ROOT / "_proc"
# Run at build: notebooks measured at 4-16 s each on 2 cores (one math thread each, two at a time), about a
# minute for all. The rest show their code and API without outputs; `--execute all` runs them too (some take
# minutes each: 09_diffusion, 11_train, 12_evaluate).
EXECUTE = ["00_core", "01_data", "02_envs", "03_lerobot", "05_metrics", "06_trunk", "07_stems", "14_rollout",
           "tutorials/00_tour"]
MATHJAX_MARK = "hma-nb-mathjax:"         # placeholder URL, made page-relative after the build
MATHJAX_CONFIG = "TeX-AMS-MML_HTMLorMML-full,Safe"   # a config that jupyter-server-mathjax ships
EXEC_VERSION = "1"                       # bump to invalidate every cached execution


def settings() -> dict:
    "The [DEFAULT] section of settings.ini."
    p = configparser.ConfigParser()
    p.read(ROOT / "settings.ini")
    return dict(p["DEFAULT"])


def nbs_path() -> Path: return ROOT / settings().get("nbs_path", "nbs")


# ---------------------------------------------------------------------------------------------------- README

_re_link = re.compile(r"(!?\[[^\]]*\]\()([^)\s]+)(\))")
_re_src = re.compile(r"""(\b(?:src|href)=")([^"]+)(")""")


def _is_relative(url: str) -> bool:
    return not (re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith(("#", "/")))


def rebase_links(text: str, prefix: str) -> str:
    "Relative link and image targets (markdown and HTML) rebased under `prefix` (e.g. 'nbs')."
    def fix(m):
        url = m.group(2)
        if not _is_relative(url): return m.group(0)
        path, sep, frag = url.partition("#")
        return m.group(1) + posixpath.normpath(posixpath.join(prefix, path)) + sep + frag + m.group(3)
    return _re_src.sub(fix, _re_link.sub(fix, text))


def render_readme() -> str:
    "README.md's text: nbs/<readme_nb> as markdown (nbconvert), links rebased to the repository root."
    from nbconvert import MarkdownExporter
    cfg = settings()
    nb_file = nbs_path() / cfg.get("readme_nb", "index.ipynb")
    body, _ = MarkdownExporter().from_notebook_node(nbformat.read(nb_file, as_version=4))
    body = rebase_links(body, nbs_path().relative_to(ROOT).as_posix())
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"


def write_readme(check: bool = False) -> bool:
    "Write README.md if it differs from the notebook's rendering; True if it was (or, with check, would be) changed."
    text, readme = render_readme(), ROOT / "README.md"
    if readme.exists() and readme.read_text(encoding="utf-8") == text:
        return False
    if not check:
        readme.write_text(text, encoding="utf-8")
    return True


# ------------------------------------------------------------------------------------------------ execution

def _exec_key(nb_file: Path, flags: str) -> str:
    h = hashlib.sha256(f"{EXEC_VERSION}|{flags}|".encode())
    h.update(nb_file.read_bytes())
    for f in sorted((ROOT / settings()["lib_path"]).rglob("*.py")):
        h.update(f.relative_to(ROOT).as_posix().encode()); h.update(f.read_bytes())
    return h.hexdigest()[:24]


def _skip_at_build(source: str, flags: set[str]) -> bool:
    "A cell nbdev_test would not run: `#| eval: false`, or a directive that is one of the test flags."
    for line in source.splitlines():
        m = re.match(r"\s*#\|\s*(.*)$", line)
        if not m: break
        words = m.group(1).split()
        if words[:2] == ["eval:", "false"] or (len(words) == 1 and words[0] in flags): return True
    return False


def _execute(nb_file: str, out_file: str, log_file: str, flags: list[str]) -> tuple[str, float]:
    "Run one notebook (in a worker process, the kernel's own messages to `log_file`); returns its name and seconds."
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    fd = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    nb = nbformat.read(nb_file, as_version=4)
    run = nbformat.from_dict(json.loads(json.dumps(nb)))
    for c in run.cells:
        if c.cell_type == "code" and _skip_at_build(c.source, set(flags)): c.source = ""
    t0 = time.time()
    try:
        NotebookClient(run, timeout=900, kernel_name="python3",
                       resources={"metadata": {"path": str(Path(nb_file).parent)}}).execute()
    except CellExecutionError as e:
        raise RuntimeError(f"{nb_file}: a cell failed while building the docs (kernel log: {log_file})\n{e}") from None
    for c, r in zip(nb.cells, run.cells):
        if c.cell_type == "code" and r.source: c.outputs, c.execution_count = r.outputs, r.execution_count
    tmp = out_file + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, out_file)
    return nb_file, time.time() - t0


def execute_notebooks(files: list[Path], workers: int, use_cache: bool = True) -> dict[Path, Path]:
    "Executed copies of `files` (from the cache when their key matches), run `workers` at a time."
    flags = settings().get("tst_flags", "").split()
    out_dir = PROC / "exec"; out_dir.mkdir(parents=True, exist_ok=True)
    done, todo = {}, []
    for f in files:
        name = f.relative_to(nbs_path()).with_suffix("").as_posix().replace("/", "--")
        out = out_dir / f"{name}-{_exec_key(f, ' '.join(flags))}.ipynb"
        for old in out_dir.glob(f"{name}-*"):                 # outputs of earlier versions of this notebook
            key = old.name.split(".")[0]
            if key != out.stem and re.fullmatch(re.escape(name) + r"-[0-9a-f]{24}", key): old.unlink()
        done[f] = out
        if not (use_cache and out.exists()): todo.append((f, out))
    if todo:
        env = {"OMP_NUM_THREADS": "1", "PLOTLY_RENDERER": "plotly_mimetype", "MPLBACKEND": "Agg"}
        for k, v in env.items(): os.environ.setdefault(k, v)
        os.environ["PLOTLY_RENDERER"] = "plotly_mimetype"     # figures as JSON: drawn by the site's own plotly.js
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            jobs = [pool.submit(_execute, str(f), str(out), str(out.with_suffix(".log")), flags) for f, out in todo]
            for j in jobs:
                name, secs = j.result()
                print(f"[docs] ran {Path(name).relative_to(ROOT)} in {secs:.1f} s", flush=True)
    return done


# ------------------------------------------------------------------------------------------------ API entries

def _patch_target(node) -> tuple[str, bool] | None:
    "For a fastcore `@patch` function: (class name, as_prop)."
    for d in node.decorator_list:
        f = d.func if isinstance(d, ast.Call) else d
        if isinstance(f, ast.Name) and f.id == "patch":
            as_prop = isinstance(d, ast.Call) and any(k.arg == "as_prop" and getattr(k.value, "value", False) for k in d.keywords)
            ann = node.args.args[0].annotation if node.args.args else None
            if isinstance(ann, ast.Name): return ann.id, as_prop
            if isinstance(ann, ast.Attribute): return ann.attr, as_prop
    return None


def api_names(source: str) -> list[str]:
    """Names an exported cell documents, in order: public functions and classes (then the public methods of
    the class body), `@patch`ed methods as `Class.name`, and methods attached by assignment (`Class.name = f`)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            target = _patch_target(node) if not isinstance(node, ast.ClassDef) else None
            if target:
                if not node.name.startswith("_"): names.append(f"{target[0]}.{node.name}")
                continue
            if node.name.startswith("_"): continue
            names.append(node.name)
            if isinstance(node, ast.ClassDef):
                names += [f"{node.name}.{m.name}" for m in node.body
                          if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)) and not m.name.startswith("_")]
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            t = node.targets[0]
            if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and not t.attr.startswith("_") \
                    and t.value.id[:1].isupper():
                names.append(f"{t.value.id}.{t.attr}")
    return list(dict.fromkeys(names))


def _lookup(module, name: str):
    "`module.A.b`, taking class attributes as defined (a property stays a property)."
    obj = module
    for part in name.split("."):
        obj = inspect.getattr_static(obj, part) if inspect.isclass(obj) else getattr(obj, part)
    return obj


def _signature_block(obj, name: str) -> str:
    "The signature as nbdev's show_doc writes it (parameter comments included), else from inspect."
    try:
        from nbdev.showdoc import show_doc
        md = show_doc(obj, name=name)._repr_markdown_()
        m = re.search(r"```python\n(.*?)\n```", md, re.S)
        if m: return m.group(1)
    except Exception:
        pass
    try:
        return f"def {name}{inspect.signature(obj)}:"
    except (TypeError, ValueError):
        return name


def _docstring_md(doc: str) -> str:
    "A docstring as markdown: paragraphs kept, the lines of an `Args:` / `Returns:` section as a bullet list."
    out, section = [], False
    for line in doc.splitlines():
        if re.match(r"^[A-Z][A-Za-z ]*:\s*$", line):
            out += ["", f"**{line.strip()[:-1]}**", ""]; section = True
        elif section and line[:1] in (" ", "\t") and line.strip():
            out.append("- " + line.strip())
        else:
            section = False
            out.append(line)
    return "\n".join(out).strip()


def _own_doc(obj) -> str:
    "The object's own docstring, not one inherited from a base class."
    doc = obj.__dict__.get("__doc__") if inspect.isclass(obj) else getattr(obj, "__doc__", None)
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


def api_entry(module, name: str) -> str | None:
    "One API entry as markdown inside a `div.api-entry`: heading, signature, docstring."
    try:
        obj = _lookup(module, name)
    except AttributeError:
        print(f"[docs] warning: {module.__name__} has no {name}; no API entry", file=sys.stderr)
        return None
    if isinstance(obj, property):
        ret = inspect.signature(obj.fget).return_annotation
        ret = "" if ret is inspect.Signature.empty else f" -> {ret if isinstance(ret, str) else inspect.formatannotation(ret)}"
        sig, doc = f"{name}{ret}   # property", _own_doc(obj.fget)
    elif inspect.isclass(obj) and issubclass(obj, enum.Enum):
        bases = ", ".join(b.__name__ for b in obj.__bases__)
        sig = f"class {name}({bases}): " + ", ".join(repr(m.value) for m in obj)
        doc = _own_doc(obj)
    else:
        if isinstance(obj, (staticmethod, classmethod)): obj = obj.__func__
        sig = _signature_block(obj, name)
        if inspect.isclass(obj):
            sig = re.sub(r"\)\s*(->\s*None)?:\s*$", ")", re.sub(r"^def ", "class ", sig))
        doc = _own_doc(obj)
        if inspect.isclass(obj) and doc.startswith(f"{obj.__name__}("): doc = ""     # a dataclass's generated text
    anchor = f"{module.__name__}.{name}"
    parts = [f'<div class="api-entry" id="{html.escape(anchor)}">', f"### {name}", f"```python\n{sig}\n```",
             _docstring_md(doc), "</div>"]
    return "\n\n".join(p for p in parts if p)


# ----------------------------------------------------------------------------------------- notebook processing

_DROP = {"hide", "exporti", "default_exp"}


def _directives(cell) -> dict:
    from nbdev.process import extract_directives
    return extract_directives(cell, remove=True)


def plotly_html(data: dict, div_id: str) -> str:
    "A plotly figure (JSON output) as a div drawn by the page's plotly.js."
    import plotly.io as pio
    fig = {"data": data.get("data", []), "layout": data.get("layout", {})}
    return pio.to_html(fig, config=data.get("config") or {}, include_plotlyjs=False, full_html=False,
                       div_id=div_id, validate=False)


def _clean_outputs(cell, page: str, counter: list, rel: str) -> None:
    outs = []
    for o in cell.get("outputs", []):
        if o.output_type == "stream" and o.name == "stderr": continue          # warnings and progress bars
        if o.output_type in ("display_data", "execute_result"):
            data = o.data
            data.pop("application/vnd.jupyter.widget-view+json", None)         # live widgets need a kernel
            if "application/vnd.plotly.v1+json" in data:
                counter[0] += 1
                fig = data.pop("application/vnd.plotly.v1+json")
                js = f'<script src="{rel}assets/plotly.min.js"></script>\n' if counter[0] == 1 else ""
                data["text/html"] = js + plotly_html(fig, f"{page}-plot{counter[0]}")
                data.pop("text/plain", None)
            if not data: continue
        outs.append(o)
    cell.outputs = outs


def _site_links(text: str, pages: set[str], here: str) -> str:
    "Links to notebooks of the site point at their pages (`x.ipynb` -> `x.html`)."
    def fix(m):
        url = m.group(2)
        path, sep, frag = url.partition("#")
        if not (_is_relative(url) and path.endswith(".ipynb")): return m.group(0)
        target = posixpath.normpath(posixpath.join(posixpath.dirname(here), path))
        if target not in pages: return m.group(0)
        return m.group(1) + path[: -len(".ipynb")] + ".html" + sep + frag + m.group(3)
    return _re_link.sub(fix, text)


def process_notebook(src: Path, executed: Path | None, pages: set[str]) -> nbformat.NotebookNode:
    "A notebook with nbdev's directives applied, API entries after exported cells, outputs made static."
    nb = nbformat.read(executed or src, as_version=4)
    here = src.relative_to(nbs_path()).as_posix()
    rel = "../" * here.count("/")
    page = re.sub(r"[^A-Za-z0-9_-]", "-", here[: -len(".ipynb")])
    module, cells, plots = None, [], [0]
    lib = settings()["lib_name"]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = _site_links(cell.source, pages, here)
            cells.append(cell); continue
        if cell.cell_type != "code": continue
        d = _directives(cell)
        if "default_exp" in d and d["default_exp"]:
            module = importlib.import_module(f"{lib}.{d['default_exp'][0]}")
        if _DROP & d.keys() or d.get("include:") == ["false"]: continue
        cell.source = "\n".join(l for l in cell.source.splitlines() if not re.search(r"#\|\s*hide_line\s*$", l)).strip()
        if d.get("output:") == ["false"]: cell.outputs = []
        _clean_outputs(cell, page, plots, rel)
        if d.get("echo:") == ["false"]: cell.metadata.setdefault("tags", []).append("hide-input")
        if cell.source or cell.outputs: cells.append(cell)
        if module is not None and ({"export", "exports"} & d.keys()):
            entries = [e for e in (api_entry(module, n) for n in api_names(cell.source)) if e]
            if entries: cells.append(nbformat.v4.new_markdown_cell("\n\n".join(entries)))
    if executed is None and any(c.cell_type == "code" for c in cells):
        cells.insert(1 if cells and cells[0].cell_type == "markdown" else 0, nbformat.v4.new_markdown_cell(
            "*This page shows the notebook's code and API without outputs: it takes too long to run at every build of the "
            "docs. Run it in Jupyter, or build the site with `bash scripts/docs.sh --execute all`.*"))
    nb.cells = cells
    for i, c in enumerate(nb.cells): c.id = f"c{i}"
    return nb


def site_notebooks() -> list[Path]:
    "Every notebook under nbs/ that belongs on the site (no checkpoints, nothing starting with _ or .)."
    return sorted(p for p in nbs_path().rglob("*.ipynb")
                  if not any(part.startswith(("_", ".")) for part in p.relative_to(nbs_path()).parts))


def _title(nb_file: Path) -> str:
    for c in nbformat.read(nb_file, as_version=4).cells:
        m = re.match(r"^#\s+(.+)$", c.source.strip(), re.M) if c.cell_type == "markdown" else None
        if m: return m.group(1).strip()
    return nb_file.stem


def _is_module(nb_file: Path) -> bool:
    "A notebook that exports a module (it has `#| default_exp`)."
    return any(c.cell_type == "code" and re.search(r"^\s*#\|\s*default_exp\s", c.source, re.M)
               for c in nbformat.read(nb_file, as_version=4).cells)


def nav(files: list[Path]) -> list:
    "Home, then each subfolder (tutorials), the module notebooks, then the other top-level notebooks."
    cfg, base = settings(), nbs_path()
    index = cfg.get("readme_nb", "index.ipynb")
    entry = lambda f: {_title(f): f.relative_to(base).as_posix()}
    top = [f for f in files if f.parent == base and f.name != index]
    out = [{"Home": index}] if (base / index).exists() else []
    for folder in sorted({f.parent for f in files if f.parent != base}):
        out.append({folder.name.replace("_", " ").capitalize(): [entry(f) for f in files if f.parent == folder]})
    out.append({"Modules": [entry(f) for f in top if _is_module(f)]})
    out += [entry(f) for f in top if not _is_module(f)]
    return out


def mkdocs_config(site: Path, out: Path, files: list[Path]) -> dict:
    cfg = settings()
    return {
        "site_name": cfg.get("title", cfg["lib_name"]),
        "site_description": cfg.get("description", ""),
        "docs_dir": str(site), "site_dir": str(out), "use_directory_urls": False,
        "theme": {"name": "material", "font": False, "features": ["content.code.copy", "navigation.top"],
                  "palette": {"primary": "indigo"}},
        "plugins": ["search",
                    {"mkdocs-jupyter": {"include": ["*.ipynb"], "execute": False, "include_source": False,
                                        "no_prompt": True, "ignore_h1_titles": True,
                                        "remove_tag_config": {"remove_input_tags": ["hide-input"]},
                                        "custom_mathjax_url": f"{MATHJAX_MARK}MathJax.js?config={MATHJAX_CONFIG}",
                                        "cache": True, "cache_dir": str(PROC / "mkdocs-jupyter-cache")}}],
        "extra_css": ["assets/site.css"],
        "nav": nav(files),
    }


# jupyter-server-mathjax ships MathJax 2 with the STIX-Web fonts only
MATHJAX_FONTS = ('<script>window.MathJax = {"HTML-CSS": {availableFonts: [], webFont: "STIX-Web", imageFont: null}, '
                 'SVG: {font: "STIX-Web"}};</script>\n')


def finish_html(out: Path) -> None:
    "MathJax from the site's own copy, by a path relative to each page, with the fonts that copy has."
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if MATHJAX_MARK in text:
            rel = "../" * (len(page.relative_to(out).parts) - 1)
            text = re.sub(r'(<script[^>]*src=")' + re.escape(MATHJAX_MARK),
                          MATHJAX_FONTS + r"\g<1>" + f"{rel}assets/mathjax/", text)
            page.write_text(text, encoding="utf-8")


TOOLS = ("mkdocs", "material", "mkdocs_jupyter", "jupyter_server_mathjax", "nbclient", "plotly", "yaml")


def check_request(out: Path, execute: str, files: list[Path]) -> list[str]:
    "Fail before any work: missing tools, a site folder that holds something else, unknown notebooks to run."
    missing = [m for m in TOOLS if importlib.util.find_spec(m) is None]
    if missing:
        sys.exit(f"[docs] missing {', '.join(missing)}: run `bash scripts/setup.sh` (it installs hma_nb's dev tools)")
    if out == ROOT or out in ROOT.parents or out == nbs_path() or \
            (out.is_dir() and any(out.iterdir()) and not (out / "sitemap.xml").exists()):
        sys.exit(f"[docs] --out {out}: not an empty folder or an earlier site; the build would delete what it holds")
    names = [f.relative_to(nbs_path()).with_suffix("").as_posix() for f in files]
    if execute in ("all", "none"): return names if execute == "all" else []
    want = EXECUTE if execute == "default" else [n.strip().removesuffix(".ipynb") for n in execute.split(",")]
    unknown = [n for n in want if n not in names]
    if unknown:
        sys.exit(f"[docs] --execute: no notebook {', '.join(unknown)} under {nbs_path()} (names like 01_data, tutorials/00_tour)")
    return want


def build_site(out: Path, execute: str, workers: int, use_cache: bool = True) -> Path:
    import yaml
    files = site_notebooks()
    base = nbs_path()
    want = check_request(out, execute, files)
    executed = execute_notebooks([f for f in files if f.relative_to(base).with_suffix("").as_posix() in want], workers,
                                 use_cache) if want else {}
    site = PROC / "site"
    if site.exists(): shutil.rmtree(site)
    site.mkdir(parents=True)
    pages = {f.relative_to(base).as_posix() for f in files}
    for f in files:
        dest = site / f.relative_to(base)
        dest.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(process_notebook(f, executed.get(f), pages), dest)
    for folder in base.rglob("images"):                       # pictures the notebooks link to
        if folder.is_dir(): shutil.copytree(folder, site / folder.relative_to(base), dirs_exist_ok=True)
    assets = site / "assets"; assets.mkdir()
    import plotly, jupyter_server_mathjax
    shutil.copy(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", assets / "plotly.min.js")
    shutil.copytree(Path(jupyter_server_mathjax.__file__).parent / "static", assets / "mathjax")
    shutil.copy(DOCS / "site.css", assets / "site.css")
    conf = PROC / "mkdocs.yml"
    conf.write_text(yaml.safe_dump(mkdocs_config(site, out, files), sort_keys=False, allow_unicode=True), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--clean", "--quiet", "-f", str(conf)],
                       cwd=PROC, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"[docs] mkdocs build failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    finish_html(out)
    return out / "index.html"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--readme", action="store_true", help="only write README.md from the notebook")
    p.add_argument("--check-readme", action="store_true", help="exit 1 if README.md differs from the notebook; write nothing")
    p.add_argument("--execute", default="default", help="notebooks to run at build: default (EXECUTE), all, none, or a,b")
    p.add_argument("--workers", type=int, default=2, help="notebooks run at once (default 2)")
    p.add_argument("--no-cache", action="store_true", help="run the notebooks again even if their outputs are cached")
    p.add_argument("--out", default=None, help="site folder (default: doc_path of settings.ini, _docs)")
    a = p.parse_args(argv)
    if a.check_readme:
        stale = write_readme(check=True)
        print("[docs] README.md differs from nbs/index.ipynb: run `bash scripts/docs.sh --readme`" if stale
              else "[docs] README.md matches nbs/index.ipynb")
        return int(stale)
    t0 = time.time()
    print("[docs] README.md " + ("written from nbs/index.ipynb" if write_readme() else "unchanged (matches nbs/index.ipynb)"))
    if a.readme: return 0
    out = Path(a.out).resolve() if a.out else ROOT / settings().get("doc_path", "_docs")
    index = build_site(out, a.execute, a.workers, not a.no_cache)
    print(f"[docs] site built in {time.time() - t0:.0f} s: {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
