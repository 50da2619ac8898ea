"""How well a world model keeps robots and objects when every action sits at the end of its range, as numbers (for the
results page): `evaluate.extremes_scores` per robot, from the first `--episodes` held-out episodes of `--root`.

    python docs/extremes_table.py --model data_samples/models/generalist --root runs/val --episodes 10 --pick argmax,mean

Per robot and pick: the moving-pixel PSNR of the model's 8 frames against the simulator's, of copying the last prompt
frame, and the model's gain over copy-last ± its standard error over the episodes. For comparing models on the same
episodes: a gain does not by itself mean the robot stayed (where the camera follows the robot, as for the cheetah, a model
that draws the floor moving but erases the robot still beats a frozen frame), so look at the pictures too
(`docs/robot_rollouts.py --extremes`). One row per robot and pick (JSON with --json).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from hma_nb.evaluate import extremes_scores, pick_domains
from hma_nb.model import load_model
from hma_nb.sampling import SamplerConfig
from hma_nb.tokenizer import load_tokenizer

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--tokenizer", default=str(ROOT / "data_samples" / "tokenizers" / "discrete"))
    p.add_argument("--root", required=True, help="store with held-out episodes (the simulator replays their prompts)")
    p.add_argument("--domains", default="all")
    p.add_argument("--episodes", type=int, default=10)
    p.add_argument("--pick", default=None, help="token pick(s), comma-separated (default: the model's)")
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)
    model, tok = load_model(a.model), load_tokenizer(a.tokenizer)
    picks = a.pick.split(",") if a.pick else [None]
    rows = [extremes_scores(model, tok, d, a.root, a.episodes, cfg=SamplerConfig(pick=k))
            for d in pick_domains(model, a.domains, a.root) for k in picks]
    if a.json: print(json.dumps(rows, indent=1)); return
    print("robot      pick    model  copy-last  gain ± s.e.  (moving-pixel PSNR against the simulator, dB)")
    for r in rows:
        print(f"{r['domain']:<10} {r['pick']:<6} {r['psnr_moving']:6.2f}  {r['psnr_moving_copy_last']:8.2f}  {r['gain']:+5.2f} ± {r['gain_stderr']:.2f}")


if __name__ == "__main__":
    main()
