"""Pictures for the results page: a world model's rollouts on held-out windows, each real window (upper row) over the
model's frames from its first two real frames and the window's own actions (lower row, or one row per `--pick`), per window;
with `--teacher-forced`, each generated row is preceded by a teacher-forced one (every frame predicted from the true frames before it).

    python docs/robot_rollouts.py --model runs/gen1 --root runs/val --domains cheetah,pusher,kuka --out nbs/images/gen1_rollouts.png
    python docs/robot_rollouts.py --model runs/gen1 --root runs/val --domains cheetah --maskgit-steps 8 --temperature 1
    python docs/robot_rollouts.py --model data_samples/models/generalist --domains pusht,kuka --extremes --out extremes.png
    python docs/robot_rollouts.py --model data_samples/models/generalist --root runs/val --domains pusht,kuka --pick argmax,mean
    python docs/robot_rollouts.py --model data_samples/models/generalist --root runs/val --domains cheetah,kuka --teacher-forced

Windows are the evaluation's (`evaluate.eval_windows`: 10 frames; `--windows` of them per robot, evenly spread over the
held-out episodes, the first and last included). Prints the picture's path and size.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import mediapy
import numpy as np
import torch

from hma_nb.evaluate import decode_sub, eval_windows, extremes
from hma_nb.model import load_model
from hma_nb.sampling import SamplerConfig, rollout
from hma_nb.tokenizer import load_tokenizer

ROOT = Path(__file__).resolve().parents[1]


def rows_for(model, tok, root: str, domain: str, windows: int, cfgs: list[SamplerConfig], prompt: int = 2, T: int = 10,
             teacher_forced: bool = False) -> list[np.ndarray]:
    """Rows uint8 [H, T*W, 3]: for each of the first `windows` windows, the real frames, then the model's under each sampler of
    `cfgs` (each preceded by its teacher-forced frames if `teacher_forced`)."""
    frames, sub, act = eval_windows(model, tok, root, domain, "heldout", T, None, windows)
    sub, act = sub[:windows], act[:windows]
    gens = []
    for c in cfgs:
        if teacher_forced: gens.append(decode_sub(tok, rollout(model, sub[:, :prompt], act, domain, c, true_BTSV=sub)).numpy())
        gens.append(decode_sub(tok, rollout(model, sub[:, :prompt], act, domain, c)).numpy())
    out = []
    for i, real in enumerate(frames[:windows].numpy()):
        out += [np.concatenate(list(real), 1)] + [np.concatenate(list(g[i]), 1) for g in gens]
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", required=True)
    p.add_argument("--tokenizer", default=str(ROOT / "data_samples" / "tokenizers" / "discrete"))
    p.add_argument("--root", default=str(ROOT / "data_samples"))
    p.add_argument("--domains", default="cheetah,pusher,kuka")
    p.add_argument("--windows", type=int, default=2)
    p.add_argument("--maskgit-steps", type=int, default=None)
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--pick", default=None, help="token pick at temperature 0 (default: the model's); 'argmax,mean': one row of each")
    p.add_argument("--extremes", action="store_true",
                   help="instead: actions at the ends of their range (evaluate.extremes, the widget's sliders at their ends), "
                        "the model's 8 frames over the simulator's, from episode 0 of --root")
    p.add_argument("--teacher-forced", action="store_true",
                   help="also a row of teacher-forced frames (each predicted from the true frames before it) above each generated row")
    p.add_argument("--out", default="robot_rollouts.png")
    a = p.parse_args()
    torch.set_num_threads(1)
    model, tok = load_model(a.model), load_tokenizer(a.tokenizer)
    cfgs = [SamplerConfig(steps=a.maskgit_steps, temperature=a.temperature, pick=k) for k in (a.pick.split(",") if a.pick else [None])]
    if a.extremes and a.teacher_forced: p.error("--teacher-forced has no true frames to force with --extremes")
    if a.extremes:
        rows = [np.concatenate(list(r), 1) for d in a.domains.split(",") for r in extremes(model, tok, d, root=a.root)]
    else:
        rows = [r for d in a.domains.split(",") for r in rows_for(model, tok, a.root, d, a.windows, cfgs, teacher_forced=a.teacher_forced)]
    img = np.concatenate(rows, 0)
    mediapy.write_image(a.out, img)
    print(a.out, img.shape)


if __name__ == "__main__":
    main()
