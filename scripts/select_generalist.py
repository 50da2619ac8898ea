"""Choose the generalist's step on held-out episodes that the report never uses (the recipe's selection stage).

    python scripts/select_generalist.py RUN [RUN ...] --root runs/val --out runs/select.json [--windows 40] [--draws 2]

Every kept step of each run (`RUN/kept/step_<n>`, written by `hma-nb train --keep-every`) and each run's final checkpoint
is a candidate. Each is evaluated on every robot it knows (`evaluate_domains`, `--windows` evenly spaced windows per robot,
`--draws` random-action rollouts per window, the model's default sampler). The rule, fixed before any result is seen:
most robots meeting every issue-20 target (`generalist_targets`), then the highest mean over robots of the moving-pixel
delta PSNR (the action-following figure), then the later candidate (runs in the order given, steps in order). Results are written to `--out` after each candidate, and
a rerun skips candidates already there. Prints one line per candidate and the pick (as JSON with --json).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hma_nb.core import DataError, read_json, write_json


def candidates(runs: list[str]) -> list[Path]:
    "The kept steps and final checkpoint of each run, in step order; a folder without model.json is an error naming it."
    out = []
    for run in map(Path, runs):
        if not (run / "model.json").exists(): raise DataError(f"{run}: no model.json (not a training run folder)")
        kept = sorted((run / "kept").glob("step_*"), key=lambda p: int(p.name.split("_")[1])) if (run / "kept").exists() else []
        final = read_json(run / "model.json")["info"]["steps"]
        out += [k for k in kept if int(k.name.split("_")[1]) != final] + [run]
    return out


def score(res: dict) -> dict:
    "The rule's numbers for one candidate's `evaluate_domains` result."
    from hma_nb.evaluate import generalist_targets
    met = {d: all(generalist_targets(r).values()) for d, r in res["domains"].items()}
    moving = [r["delta_psnr_moving"] for r in res["domains"].values()]
    return {"robots_meeting_targets": sum(met.values()), "met": met, "mean_delta_moving": round(sum(moving) / len(moving), 3)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("runs", nargs="+", help="training run folders")
    p.add_argument("--root", required=True, help="held-out store to choose on (not the one reported on)")
    p.add_argument("--out", required=True, help="JSON file with every candidate's results and the pick")
    p.add_argument("--windows", type=int, default=40)
    p.add_argument("--draws", type=int, default=2)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    from hma_nb.core import samples_dir
    from hma_nb.evaluate import evaluate_domains
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    try:
        cands = candidates(a.runs)
        done = read_json(a.out) if Path(a.out).exists() else {"rows": []}
        settings = {"root": str(a.root), "windows": a.windows, "draws": a.draws}
        if done["rows"] and done.get("settings") != settings:
            raise DataError(f"{a.out} holds results of other settings {done.get('settings')}; use another --out")
        rows = {r["candidate"]: r for r in done["rows"]}
        for c in cands:
            if str(c) in rows: continue
            model = load_model(c)
            tok = load_tokenizer(samples_dir() / "tokenizers" / model.cfg.variant)
            res = evaluate_domains(model, tok, a.root, "all", progress=not a.json, draws=a.draws, max_windows=a.windows)
            rows[str(c)] = {"candidate": str(c), "step": model.info["steps"], **score(res), "result": res}
            write_json(Path(a.out), {"settings": settings, "rows": list(rows.values())})
            r = rows[str(c)]
            if not a.json: print(f"{c}: step {r['step']}, {r['robots_meeting_targets']} robots meet every target, "
                                 f"mean moving delta PSNR {r['mean_delta_moving']} dB", flush=True)
        order = {str(c): i for i, c in enumerate(cands)}                 # later runs' steps come after earlier runs'
        ranked = sorted((rows[str(c)] for c in cands), key=lambda r: (r["robots_meeting_targets"], r["mean_delta_moving"], order[r["candidate"]]))
        pick = ranked[-1]["candidate"]
        write_json(Path(a.out), {"settings": settings, "rows": list(rows.values()), "picked": pick})
        print(json.dumps({"picked": pick, "step": ranked[-1]["step"]}) if a.json else f"picked {pick} (step {ranked[-1]['step']})")
        return 0
    except DataError as e:
        print(f"select_generalist: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
