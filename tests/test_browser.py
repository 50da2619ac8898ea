"""The rollout notebook used as a person would: JupyterLab in Debian's Chromium (Playwright), run the
notebook, move a slider, watch the frame change and the counter advance, play and pause; then the
generalist's widget: switch its robot, step, and see the PSNR chart draw the new points; no label cut short.

Screenshots go to test-artifacts/ (browser_rollout.png and browser_switch.png after a pass, browser_failure.png
on a failure), with the measured frames per second of the widget's play loop in browser_rollout.json."""
import base64
import json
import re
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import mediapy
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
NOTEBOOK = ROOT / "nbs" / "tutorials" / "01_drive.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    "A JupyterLab server on a free local port, serving a copy of the rollout notebook (the repo's copy stays untouched)."
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/setup.sh does)")
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, root / NOTEBOOK.name)
    port, token = free_port(), secrets.token_hex(16)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTERLAB_WORKSPACES_DIR": str(root / ".ws")}
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
                             f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}", "--allow-root"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"jupyter lab exited: {(root / 'lab.log').read_text()[-2000:]}")
                time.sleep(0.5)
        else:
            pytest.fail(f"jupyter lab did not answer on {url} within 60 s")
        yield url, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def frame_pixels(page, n: int = 0) -> np.ndarray:
    "Pixels of the picture the n-th image widget shows (0: the world model's frame), read back from the page."
    b64 = page.evaluate("""async n => {
        const img = document.querySelectorAll('img.widget-image')[n];
        const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
        let s = ''; for (const b of bytes) s += String.fromCharCode(b);
        return btoa(s); }""", n)
    return mediapy.decompress_image(base64.b64decode(b64))


def counter(page) -> str:
    return page.locator(".hma-frame-counter").inner_text()


def wait_counter(page, text: str, timeout_s: float = 60) -> None:
    page.wait_for_function("t => { const e = document.querySelector('.hma-frame-counter'); return e && e.innerText === t; }",
                           arg=text, timeout=timeout_s * 1000)


def shown_at(page, text: str) -> np.ndarray:
    "Wait until the counter reads `text`, then the model frame on display (the image is sent before the counter)."
    wait_counter(page, text)
    page.wait_for_timeout(500)
    return frame_pixels(page)


def cut_labels(page) -> list[str]:
    "Texts of the widget labels the page shows cut short (an ellipsis: wider than their box)."
    return page.evaluate("""() => [...document.querySelectorAll('.widget-label')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)""")


def chart_points(page, cell: int) -> int:
    "Markers drawn in the PSNR chart ('model vs simulator') of notebook cell `cell`'s output; -1 if there is no such chart."
    return page.evaluate("""cell => {
        for (const gd of document.querySelectorAll('.jp-Notebook .jp-Cell')[cell].querySelectorAll('.js-plotly-plot')) {
            const t = gd.querySelector('.gtitle');
            if (t && t.textContent.startsWith('model vs simulator')) return gd.querySelectorAll('.scatterlayer .points path').length;
        }
        return -1; }""", cell)


def test_drive_rollout_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright
    url, token, root = lab
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            page.goto(f"{url}/lab/tree/{NOTEBOOK.name}?token={token}&reset", timeout=120_000)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=120_000)      # the status bar's kernel state
            page.locator(".jp-Notebook .jp-Cell").first.click()
            for _ in range(3):                                   # two markdown cells, then the widget cell
                page.keyboard.press("Shift+Enter")
            page.wait_for_selector(".hma-frame-counter", timeout=180_000)
            prompt = shown_at(page, "frame 0")

            # move the first slider (target_x) to its maximum: one step with that action
            handle = page.locator(".widget-slider .noUi-handle").first
            handle.focus()
            page.keyboard.press("End")
            right = shown_at(page, "frame 1")
            assert not np.array_equal(right, prompt), "moving the slider did not change the displayed frame"

            # reset, then the same step with the slider at its minimum: a different frame
            page.locator("button.jupyter-button", has_text="reset").click()
            assert np.array_equal(shown_at(page, "frame 0"), prompt), "reset did not bring back the prompt frame"
            handle.focus()
            page.keyboard.press("Home")
            left = shown_at(page, "frame 1")
            assert not np.array_equal(left, right), "slider at its minimum and at its maximum gave the same frame"

            # each further slider move advances the counter
            page.keyboard.press("PageUp")
            wait_counter(page, "frame 2")
            page.keyboard.press("PageUp")
            wait_counter(page, "frame 3")

            # play for a while, then pause: the counter keeps advancing without any slider moving
            play = page.locator("button.widget-toggle-button", has_text="play")
            t0 = time.perf_counter()
            play.click()
            page.wait_for_timeout(6000)
            page.locator("button.widget-toggle-button", has_text="pause").click()
            elapsed = time.perf_counter() - t0
            page.wait_for_timeout(1000)
            played = int(counter(page).split()[1]) - 3
            assert played >= 3, f"play advanced only {played} frames in {elapsed:.1f} s"
            page.screenshot(path=str(ARTIFACTS / "browser_rollout.png"), full_page=True)
            (ARTIFACTS / "browser_rollout.json").write_text(json.dumps(
                {"played_frames": played, "seconds": round(elapsed, 2), "widget_fps": round(played / elapsed, 2)}, indent=1))
            print(f"widget play loop: {played} frames in {elapsed:.1f} s = {played / elapsed:.1f} frames/s")
            assert page.get_by_text("temperature", exact=True).count() >= 1
            assert cut_labels(page) == [], f"labels cut short: {cut_labels(page)}"

            # the generalist (cell 4): switch its robot, step twice; its chart draws two points
            page.locator(".jp-Notebook .jp-Cell").nth(3).click()
            page.keyboard.press("Shift+Enter")                   # the markdown cell, then the generalist's widget
            page.keyboard.press("Shift+Enter")
            gen = page.locator(".jp-Notebook .jp-Cell").nth(4).locator(".hma-frame-counter")
            gen.wait_for(timeout=180_000)
            before = gen.get_attribute("data-generation")
            page.locator(".jp-Notebook .jp-Cell").nth(4).locator(".widget-dropdown select").first.select_option("pusht")
            page.wait_for_function("""g => { const e = document.querySelectorAll('.jp-Notebook .jp-Cell')[4].querySelector('.hma-frame-counter');
                                              return e && e.dataset.generation !== g && e.innerText === 'frame 0'; }""", arg=before, timeout=60_000)
            step = page.locator(".jp-Notebook .jp-Cell").nth(4).locator("button.jupyter-button", has_text="step")
            for n in (1, 2):
                step.click()
                page.wait_for_function("t => document.querySelectorAll('.jp-Notebook .jp-Cell')[4].querySelector('.hma-frame-counter').innerText === t",
                                       arg=f"frame {n}", timeout=60_000)
            for _ in range(50):                                  # the chart may draw a moment after the counter
                if chart_points(page, 4) == 2:
                    break
                page.wait_for_timeout(100)
            status = page.locator(".jp-Notebook .jp-Cell").nth(4).locator(".widget-html", has_text="PSNR vs simulator").first.inner_text()
            assert "pusht" in status, status
            assert chart_points(page, 4) == 2, f"after the switch to pusht and 2 steps the chart shows {chart_points(page, 4)} points ({status})"
            assert cut_labels(page) == [], f"labels cut short: {cut_labels(page)}"
            page.screenshot(path=str(ARTIFACTS / "browser_switch.png"), full_page=True)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser_failure.png"), full_page=True)
            print(f"screenshot: {ARTIFACTS / 'browser_failure.png'}; lab log: {root / 'lab.log'}")
            raise
        finally:
            browser.close()
