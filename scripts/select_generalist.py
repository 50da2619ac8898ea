"""Choose the generalist's step on held-out episodes that the report never uses (the recipe's selection stage).

    python scripts/select_generalist.py RUN [RUN ...] --out runs/select.json [--root runs/val --windows 40 --draws 2]

The candidates are the steps of each run that have both a model (`RUN/kept/step_<n>`, written by `hma-nb train
--keep-every`, or the run's final checkpoint) and an evaluation record on the held-out episodes of `--eval-root`
(`hma-nb train --eval-every`: 8 windows per robot, kept in the checkpoint). By default those records are the figures;
with `--windows N` each candidate is evaluated again on `--root` (`evaluate_domains`, N evenly spaced windows per robot,
`--draws` random-action rollouts per window, the model's default sampler). The rule, fixed before any result was seen: the highest mean over robots of the moving-pixel delta PSNR (the
action-following figure), then the later candidate (runs in the order given, steps in order). With --windows, the number
of robots meeting every issue-20 target (`generalist_targets`) comes first. Results go to `--out` after each candidate;
a rerun skips candidates already there. Prints one line per candidate and the pick (as JSON with --json).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hma_nb.core import DataError, read_json, write_json


def _step(p: Path) -> int: return int(p.name.split("_")[1])


def candidates(runs: list[str], need_records: bool = True) -> list[dict]:
    """Each run's steps that have a model and an evaluation record, in step order: {'candidate', 'run', 'step', 'record'}.
    Without `need_records` (candidates evaluated again), every kept step and final model is a candidate (record None if absent)."""
    out = []
    for run in map(Path, runs):
        if not (run / "model.json").exists(): raise DataError(f"{run}: no model.json (not a training run folder)")
        info = read_json(run / "model.json")["info"]
        models = {_step(k): k for k in (run / "kept").glob("step_*")} | {info["steps"]: run}
        records = {e["step"]: {d: v for d, v in e.items() if d != "step"} for e in info.get("evals", [])}
        steps = sorted(set(models) & set(records)) if need_records else sorted(models)
        out += [{"candidate": str(models[s]), "run": str(run), "step": s, "record": records.get(s)} for s in steps]
    if not out: raise DataError(f"no step of {runs} has both a kept model and an evaluation record (hma-nb train --keep-every, --eval-every)")
    return out


def score(domains: dict, full: bool) -> dict:
    "The rule's numbers for one candidate: per-robot results ({robot: figures}); `full`: complete `evaluate_world_model` results."
    from hma_nb.evaluate import generalist_targets
    moving = [r["delta_psnr_moving"] for r in domains.values()]
    res = {"mean_delta_moving": round(sum(moving) / len(moving), 3)}
    if full:
        met = {d: all(generalist_targets(r).values()) for d, r in domains.items()}
        res |= {"robots_meeting_targets": sum(met.values()), "met": met}
    return res


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("runs", nargs="+", help="training run folders")
    p.add_argument("--out", required=True, help="JSON file with every candidate's figures and the pick")
    p.add_argument("--root", help="with --windows: held-out store to evaluate on (not the one reported on)")
    p.add_argument("--windows", type=int, default=0, help="0: the training-time records; N: evaluate again on N windows per robot")
    p.add_argument("--draws", type=int, default=2)
    p.add_argument("--tokenizer", help="with --windows: the candidates' tokenizer (default data_samples/tokenizers/VARIANT)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    try:
        if a.windows and not a.root: raise DataError("--windows needs --root (the held-out store to evaluate on)")
        cands = candidates(a.runs, need_records=not a.windows)
        settings = {"root": a.root, "windows": a.windows, "draws": a.draws} if a.windows else {"records": "training-time evaluations"}
        if a.windows and a.tokenizer: settings["tokenizer"] = a.tokenizer
        done = read_json(a.out) if Path(a.out).exists() else {"rows": []}
        if done["rows"] and done.get("settings") != settings:
            raise DataError(f"{a.out} holds results of other settings {done.get('settings')}; use another --out")
        rows = {r["candidate"]: r for r in done["rows"]}
        for i, c in enumerate(cands):
            if c["candidate"] not in rows:
                domains = c["record"] if not a.windows else _evaluate(c["candidate"], a)
                rows[c["candidate"]] = {**{k: c[k] for k in ("candidate", "run", "step")}, **score(domains, bool(a.windows)), "domains": domains}
                write_json(Path(a.out), {"settings": settings, "rows": list(rows.values())})
            r = rows[c["candidate"]]
            if not a.json: print(f"{c['candidate']}: mean moving delta PSNR {r['mean_delta_moving']} dB"
                                 + (f", {r['robots_meeting_targets']} robots meet every target" if a.windows else ""), flush=True)
        order = {c["candidate"]: i for i, c in enumerate(cands)}
        key = lambda r: (r.get("robots_meeting_targets", 0), r["mean_delta_moving"], order[r["candidate"]])
        best = max((rows[c["candidate"]] for c in cands), key=key)
        write_json(Path(a.out), {"settings": settings, "rows": list(rows.values()), "picked": best["candidate"]})
        print(json.dumps({"picked": best["candidate"], "step": best["step"]}) if a.json else f"picked {best['candidate']} (step {best['step']} of {best['run']})")
        return 0
    except DataError as e:
        print(f"select_generalist: error: {e}", file=sys.stderr)
        return 2


def _evaluate(path: str, a) -> dict:
    from hma_nb.core import samples_dir
    from hma_nb.evaluate import evaluate_domains
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    model = load_model(path)
    tok = load_tokenizer(a.tokenizer or samples_dir() / "tokenizers" / model.cfg.variant)
    return evaluate_domains(model, tok, a.root, "all", progress=not a.json, draws=a.draws, max_windows=a.windows)["domains"]


if __name__ == "__main__":
    sys.exit(main())
