"""README.md and the documentation site: the README is the rendering of nbs/index.ipynb and stays small; the site
builds from the notebooks (`bash scripts/docs.sh`) without touching a README that is in sync; in Chromium its home
page shows the animated rollout and its module pages show API entries and figures.

Screenshots go to test-artifacts/ (docs_index.png, docs_data.png)."""
import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
MAX_README = 12 * 1024


def load_build():
    spec = importlib.util.spec_from_file_location("hma_docs_build", ROOT / "docs" / "build.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


build = load_build()


def test_readme_is_the_index_notebook():
    assert README.read_text(encoding="utf-8") == build.render_readme(), \
        "README.md differs from nbs/index.ipynb: edit the notebook, then run `bash scripts/docs.sh --readme`"


def test_readme_is_small_and_links_resolve():
    assert README.stat().st_size <= MAX_README, f"README.md is {README.stat().st_size} bytes; keep it under {MAX_README}"
    text = README.read_text(encoding="utf-8")
    targets = [m.group(2).split("#")[0] for m in build._re_link.finditer(text) if build._is_relative(m.group(2))]
    assert "nbs/images/rollout.gif" in targets and "nbs/results.ipynb" in targets
    missing = [t for t in targets if not (ROOT / t).exists()]
    assert not missing, f"README.md links to files that do not exist: {missing}"


def test_links_are_rebased_from_nbs():
    md = "![a](images/x.gif) [b](05_metrics.ipynb#psnr) [c](https://x.org/y) [d](#here) <img src=\"images/y.png\">"
    assert build.rebase_links(md, "nbs") == ("![a](nbs/images/x.gif) [b](nbs/05_metrics.ipynb#psnr) [c](https://x.org/y) "
                                             "[d](#here) <img src=\"nbs/images/y.png\">")


def test_api_names_follow_nbdev():
    src = '''
def f(x): "doc"
def _private(): pass
class Store:
    def load(self): pass
    def _helper(self): pass
@patch
def write(self: Store, x): pass
@patch(as_prop=True)
def size(self: Store) -> int: return 0
Store.read = _read
'''
    assert build.api_names(src) == ["f", "Store", "Store.load", "Store.write", "Store.size", "Store.read"]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    "The site built by the docs script into a temporary folder; README.md's bytes and time before and after."
    before = (README.read_bytes(), README.stat().st_mtime_ns)
    out = tmp_path_factory.mktemp("site")
    r = subprocess.run(["bash", "scripts/docs.sh", "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"scripts/docs.sh failed:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
    return out, before, (README.read_bytes(), README.stat().st_mtime_ns), r.stdout


def test_docs_script_leaves_readme_in_sync_unchanged(site):
    out, before, after, log = site
    assert after == before, "scripts/docs.sh rewrote README.md: it was out of sync with nbs/index.ipynb"
    assert "README.md unchanged" in log


def test_one_page_per_notebook(site):
    out = site[0]
    want = {p.relative_to(build.nbs_path()).with_suffix(".html").as_posix() for p in build.site_notebooks()}
    assert {"index.html", "results.html", "05_metrics.html", "tutorials/00_tour.html"} <= want
    assert not [w for w in want if not (out / w).exists()], "a notebook has no page"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/setup.sh does)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                              "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        yield b
        b.close()


def open_page(browser, path: Path, shot: str):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    failed = []
    page.on("requestfailed", lambda req: None if req.url.startswith(("about:", "data:")) else failed.append(req.url))
    page.goto(path.as_uri(), wait_until="load", timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot), full_page=False)
    return page, failed


def test_home_page_shows_the_rollout_and_the_notebook_map(site, browser):
    page, failed = open_page(browser, site[0] / "index.html", "docs_index.png")
    gif = page.evaluate("""() => [...document.images].filter(i => i.src.endsWith('images/rollout.gif'))
                                  .map(i => [i.complete, i.naturalWidth, i.naturalHeight])""")
    assert gif and gif[0][0] and gif[0][1] > 0 and gif[0][2] > 0, f"the animated rollout did not load: {gif}"
    links = page.evaluate("() => [...document.querySelectorAll('article a, .md-content a')].map(a => a.getAttribute('href'))")
    for page_link in ("05_metrics.html", "results.html", "tutorials/00_tour.html"):
        assert page_link in links, f"the home page does not link to {page_link}"
    assert page.locator(".md-nav__link", has_text="metrics").count() > 0, "the navigation lacks the module pages"
    assert not failed, f"requests failed: {failed}"
    page.close()


def test_module_page_shows_api_entries_and_figures(site, browser):
    import hma_nb.data as data
    page, failed = open_page(browser, site[0] / "01_data.html", "docs_data.png")
    entry = page.locator(".api-entry", has=page.locator("h3", has_text="open_store"))
    assert entry.count() == 1, "no API entry for hma_nb.data.open_store"
    assert "def open_store(" in entry.locator("pre").inner_text()
    assert data.open_store.__doc__.split("\n")[0].replace("`", "")[:60] in entry.inner_text()   # the docstring, as markdown
    assert page.locator(".api-entry").count() >= 10
    # exported cells shown as code, without nbdev's directives; hidden cells not shown
    text = page.locator(".md-content").inner_text()
    assert "class EpisodeStore" in text and "#| export" not in text and "#| hide" not in text
    assert "from fastcore.test import" not in text
    # a plotly figure drawn by the site's own plotly.js
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length > 0", timeout=30_000)
    marks = page.evaluate("() => document.querySelectorAll('.js-plotly-plot .scatterlayer .trace').length")
    assert marks > 0, "the plotly figure has no traces"
    assert not failed, f"requests failed: {failed}"
    page.close()


def test_tutorial_results_and_math_render(site, browser):
    page, failed = open_page(browser, site[0] / "tutorials" / "00_tour.html", "docs_tour.png")
    sizes = page.evaluate("() => [...document.querySelectorAll('.jp-OutputArea img')].map(i => i.naturalWidth)")
    assert sizes and min(sizes) > 0, f"the tour's pictures did not load: {sizes}"
    page.close()
    page, failed2 = open_page(browser, site[0] / "results.html", "docs_results.png")
    assert page.locator("table tr").count() > 40, "the results page lost its tables"
    page.close()
    page, failed3 = open_page(browser, site[0] / "09_diffusion.html", "docs_diffusion.png")
    page.wait_for_function("() => document.querySelectorAll('.MathJax, .MathJax_Display').length > 0", timeout=30_000)
    assert not failed + failed2 + failed3, f"requests failed: {failed + failed2 + failed3}"
    page.close()
