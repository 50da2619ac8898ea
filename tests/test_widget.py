"""The live widget under abuse, headless: play runs in its background thread while this thread fires
slider moves, robot / scene switches, resets, steps, sampler changes and play toggles at it, a few
milliseconds apart. Every frame shown is checked at the moment it is shown (under the widget's lock,
from an observer of the frame counter), and nothing may go wrong in any thread.

Uses the shipped generalist (`data_samples/models/discrete_pretrained`, all six robots) at 64 px."""
import random
import re
import threading
import time
from contextlib import contextmanager

import pytest

from hma_nb.core import samples_dir
from hma_nb.rollout import from_checkpoint
from hma_nb.widget import RolloutWidget, png

FAST = ["pendulum", "pusht", "kuka"]                          # robots whose reset takes < 0.2 s
ALL = ["cheetah", "kuka", "pendulum", "pusher", "pusht", "sawyer"]


@pytest.fixture
def thread_errors(monkeypatch):
    "Exceptions that escape any thread (the play loop records its own in `widget.errors`)."
    caught = []
    monkeypatch.setattr(threading, "excepthook", lambda args: caught.append(args.exc_value))
    return caught


@pytest.fixture(scope="module")
def widget():
    ro = from_checkpoint(samples_dir() / "models" / "discrete_pretrained", domain="pendulum", twin=True)
    w = RolloutWidget(ro, size=64)
    w.widget                                                   # build the view as a notebook would
    yield w
    w.pause()
    ro.close()


@contextmanager
def watch(w):
    "A record per counter change while in the block: what the widget says it shows, checked against the rollout then."
    seen = []

    def on(change):
        ro, s = w.ro, dict(w.shown)
        s.update(counter=int(re.search(r"frame (\d+)<", change["new"]).group(1)),
                 counter_generation=int(re.search(r"data-generation='(\d+)'", change["new"]).group(1)),
                 ro_domain=ro.domain, ro_frame=ro.t - ro.prompt, chart=len(w.chart.data[0].y), psnr=len(ro.psnr),
                 same_image=w.image.value == png(ro.frame, w.size), status=w.status.value, t=time.perf_counter())
        seen.append(s)
    w.counter.observe(on, "value")
    try:
        yield seen
    finally:
        w.counter.unobserve(on, "value")


def check(seen: list[dict], switches: list[tuple[int, str]]) -> None:
    "The invariants of a recorded run; `switches` holds (generation, robot) as each robot switch left them."
    prev = None
    for s in seen:
        robot = [r for g, r in switches if g <= s["generation"]][-1]
        assert s["domain"] == s["ro_domain"] == robot, f"a frame of {s['domain']} shown while {robot} was picked: {s}"
        assert s["stepped"] in (None, robot), f"a frame stepped for {s['stepped']} shown after the switch to {robot}: {s}"
        assert s["counter_generation"] == s["generation"], s
        assert s["counter"] == s["frame"] == s["ro_frame"], f"the counter is not the number of frames stepped: {s}"
        assert s["chart"] == s["psnr"] == s["counter"], f"the chart holds {s['chart']} points at frame {s['counter']}: {s}"
        assert s["same_image"], f"the picture is not the rollout's latest frame: {s}"
        if s["chart"]:
            assert "PSNR vs simulator" in s["status"], s
        if prev is not None:
            assert s["generation"] >= prev["generation"], f"an older generation shown after a newer one: {prev} -> {s}"
            want = prev["frame"] + 1 if s["generation"] == prev["generation"] else 0
            assert s["frame"] == want, f"counter went {prev['frame']} -> {s['frame']} (generation {prev['generation']} -> {s['generation']})"
        prev = s


def abuse(w, seconds: float, robots: list[str], seed: int) -> tuple[list, dict]:
    "Play, and fire random interleaved actions at the widget for `seconds`; returns the robot switches and op counts."
    rng, switches, ops = random.Random(seed), [(w.generation, w.ro.domain)], {}
    w.play.value = True
    end = time.perf_counter() + seconds
    for i in range(10**6):
        if time.perf_counter() > end:
            break
        op = "robot" if i % 6 == 5 else rng.choice(["slider"] * 3 + ["pad", "scene", "reset", "reset", "step", "k", "temp", "play"])
        ops[op] = ops.get(op, 0) + 1
        if op == "slider":
            s = rng.choice(w._sliders)
            s.value = rng.uniform(s.min, s.max)
        elif op == "pad" and w.pad is not None:                 # a click on the PushT board: both sliders at once
            w._set_action([rng.uniform(s.min, s.max) for s in w._sliders])
        elif op == "robot":
            w.domain.value = rng.choice([r for r in robots if r != w.domain.value])
            switches.append((w.generation, w.ro.domain))
            w.play.value = rng.random() < 0.8
        elif op == "scene":
            w.scene.value = rng.choice([v for _, v in w.scene.options])
        elif op == "reset":
            w.reset_btn.click()
        elif op == "step":
            w.step_btn.click()
        elif op == "k":
            w.k.value = rng.choice([1, 2])
        elif op == "temp":
            w.temp.value = rng.choice([0.0, 0.5, 1.0])
        elif op == "play":
            w.play.value = not w.play.value
        time.sleep(rng.uniform(0, 0.04))
    w.pause()
    return switches, ops


@pytest.mark.parametrize("robots,seconds,seed", [(FAST, 12, 0), (ALL, 20, 1)], ids=["fast-robots", "all-robots"])
def test_widget_under_abuse(widget, thread_errors, robots, seconds, seed):
    w = widget
    with watch(w) as seen:
        switches, ops = abuse(w, seconds, robots, seed)
    print(f"{len(seen)} frames shown, {len(switches) - 1} robot switches, {w.generation} generations; ops {ops}")
    check(seen, switches)
    assert w.errors == [] and thread_errors == [], (w.errors, thread_errors)
    assert not w._thread.is_alive(), "the play loop did not end on pause"
    assert len(switches) > 3 and sum(s["frame"] > 0 for s in seen) > 20, (len(switches), len(seen))
    # after the last switch: the chart and status agree with the rollout
    ro = w.ro
    assert len(w.chart.data[0].y) == len(ro.psnr) == ro.t - ro.prompt
    assert f"frame {ro.t - ro.prompt}<" in w.counter.value


def test_play_after_switch_fills_chart(widget, thread_errors):
    "After a robot switch, play steps the new robot and its chart grows with the counter."
    w = widget
    for robot in ["pusht", "kuka"]:
        if w.domain.value == robot:
            continue
        w.domain.value = robot
        assert w.play.value is False and len(w.chart.data[0].y) == 0
        w.play.value = True
        end = time.perf_counter() + 20                    # until 3 frames are shown (a loaded machine is slower)
        while w.ro.t - w.ro.prompt < 3 and time.perf_counter() < end: time.sleep(0.1)
        w.pause()
        n = w.ro.t - w.ro.prompt
        assert n >= 3 and len(w.chart.data[0].y) == n and w.shown["stepped"] == robot, (robot, n, w.shown)
        assert re.search(rf"PSNR vs simulator {w.ro.psnr[-1]:.1f} dB", w.status.value), w.status.value
    assert w.errors == [] and thread_errors == []


def test_frames_per_second_is_the_counter_rate(widget, thread_errors):
    "The frames/s the status shows is the rate at which the counter advances, not the model's time alone."
    w = widget
    w.domain.value = "pusht"
    with watch(w) as seen:
        w.play.value = True
        end = time.perf_counter() + 30                    # until 11 frames are shown (a loaded machine is slower)
        while sum(1 for s in list(seen) if s["stepped"]) < 11 and time.perf_counter() < end: time.sleep(0.1)
        w.pause()
    run = [s for s in seen if s["stepped"]]
    n = min(len(run), 11)
    assert n >= 6, n
    counted = (n - 1) / (run[-1]["t"] - run[-n]["t"])
    shown = float(re.search(r"([\d.]+) frames/s", run[-1]["status"]).group(1))
    print(f"status {shown:.2f} frames/s, counter {counted:.2f} frames/s, model + decoding alone {w.ro.fps:.2f}")
    assert abs(shown - counted) <= 0.1 * counted, (shown, counted)
    assert w.errors == [] and thread_errors == []
