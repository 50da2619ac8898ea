"""Train the generalist on a GPU machine that cannot see the episode store: pack the training data small, train there, bring the model back.

    python scripts/gpu_generalist.py pack  --root runs/gen_data --init runs/gen2 --out runs/gpu_pack
    python scripts/gpu_generalist.py pack  --root runs/pe_data2 --init runs/pe_ft4 --domains pusht --out runs/gpu_pe_pack  (PushT only)
    python scripts/gpu_generalist.py fresh --tokenizer T --root runs/gen_data --out runs/fresh_T   (an untrained start)
    python scripts/gpu_generalist.py check --pack runs/gpu_pack      (its windows against the store's, here)
    python scripts/gpu_generalist.py train --pack runs/gpu_pack --out $OUT/run --budget 420 [--batch-size 64 --lr 6e-4]
    python scripts/gpu_generalist.py train --pack runs/gpu_pack --out runs/gpu1 --steps 2974     (a run repeated: its steps)
    python scripts/gpu_generalist.py train --pack runs/gpu_pack --out $OUT/run --budget 420 --domain-weights cheetah=3  (more cheetah batches)

`pack` (here, on the CPU machine) writes what training reads and nothing else: every robot's cached tokens of the
store's train split (the same cache `hma-nb train --root` fills; each frame XOR-ed with the previous one, then xz-compressed,
about 30 MB for the six robots instead of 147 MB of frames), their raw actions and episode lengths, the starting model and
the store's manifest digest. `train` (there) rebuilds the same `TokenWindows` that `hma-nb train --root` builds and trains
with the library's own loop (`train_model`: accelerate, bf16 on the GPU), with as many steps as fit in `--budget`
seconds: it first times 20 steps of a throwaway copy, so the cosine schedule ends where the time does. The checkpoint it
writes is an ordinary run folder (model.safetensors, model.json with the run's record, train_state.pt).
A machine that holds the store does not need this: there `hma-nb train --root ...` runs as it is.
"""
from __future__ import annotations

import argparse
import copy
import json
import lzma
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _xor_frames(tokens: np.ndarray, lengths: list[int], undo: bool = False) -> np.ndarray:
    "Each frame's token ids XOR the previous frame's within an episode (mostly zeros where nothing moves); `undo` inverts it."
    out, start = tokens.copy(), 0
    for n in lengths:
        ep = slice(start, start + n)
        if undo: out[ep] = np.bitwise_xor.accumulate(tokens[ep], axis=0)      # a running XOR restores each frame
        else: out[start + 1:start + n] ^= tokens[start:start + n - 1]
        start += n
    return out


def fresh_model(tokenizer: str, root: str, out: str, preset: str = "cpu") -> None:
    """A new, untrained model of `preset` for every robot of the store at `root` and the tokens of `tokenizer`, saved to `out`
    with the recipe's stage-2 masking recorded (what `train` reads), to compare tokenizers from the same start."""
    from dataclasses import asdict
    from hma_nb.core import seed_everything
    from hma_nb.data import open_store
    from hma_nb.model import HMA, save_model
    from hma_nb.objective import MaskingConfig
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.train import model_config, model_domain
    store, tok = open_store(root), load_tokenizer(tokenizer)
    seed_everything(0)
    model = HMA(model_config(preset, tok, [model_domain(store, d) for d in store.domains]))
    masking = MaskingConfig(change_weight=8.0, corrupt_rate=0.1, self_context=0.5)
    save_model(model, out, {"steps": 0, "tokenizer": str(tokenizer), "train": {"masking": asdict(masking)}})


def pack(root: str, init: str, out: str, tokenizer: str | None = None, domains: list[str] | None = None) -> None:
    from hma_nb.core import samples_dir, sha256_file, write_json
    from hma_nb.data import open_store
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.tokens import token_cache
    store, model = open_store(root), load_model(init)
    tokenizer = tokenizer or str(samples_dir() / "tokenizers" / "discrete")
    tok = load_tokenizer(tokenizer)
    known = [d.name for d in model.cfg.domains]
    domains = domains or known
    unknown = sorted(set(domains) - set(known))
    if unknown: raise SystemExit(f"{init} does not know {', '.join(unknown)}; it knows {', '.join(known)}")
    tokens = token_cache(tok, store.root, "train", domains)
    final = Path(out); dst = final.with_name(final.name + ".part")       # written whole, then renamed: never a half pack at `out`
    shutil.rmtree(dst, ignore_errors=True); dst.mkdir(parents=True)
    for d in domains:
        lengths = store.lengths(d, "train")
        ids = np.concatenate(tokens[d]).astype(np.uint32)
        (dst / f"{d}-tokens.xz").write_bytes(lzma.compress(_xor_frames(ids, lengths).tobytes(), preset=6))
        np.savez_compressed(dst / f"{d}-actions.npz", actions=np.concatenate(store.actions(d, "train")), lengths=np.array(lengths),
                            grid=np.array(ids.shape[1:]))
        print(f"{d}: {len(lengths)} episodes, {sum(lengths)} frames, {(dst / f'{d}-tokens.xz').stat().st_size / 1e6:.1f} MB of tokens")
    shutil.copytree(Path(init), dst / "init", dirs_exist_ok=True, ignore=shutil.ignore_patterns("kept", "train_state.pt", "*.lock"))
    write_json(dst / "pack.json", {"root": str(root), "init": str(init), "domains": domains, "tokenizer": tokenizer,
                                   "manifest_sha256": sha256_file(store.root / "manifest.json")})
    shutil.rmtree(final, ignore_errors=True); dst.rename(final)


def _windows(pack_dir: Path, model, T: int) -> dict:
    "The training windows of the robots in the pack (its pack.json's domains)."
    from hma_nb.core import read_json
    from hma_nb.train import TokenEpisode, TokenWindows
    out, packed = {}, read_json(pack_dir / "pack.json")["domains"]
    for md in (d for d in model.cfg.domains if d.name in packed):
        z = np.load(pack_dir / f"{md.name}-actions.npz")
        lengths, grid = [int(n) for n in z["lengths"]], tuple(int(g) for g in z["grid"])
        ids = np.frombuffer(lzma.decompress((pack_dir / f"{md.name}-tokens.xz").read_bytes()), np.uint32).reshape(-1, *grid)
        ids = _xor_frames(ids, lengths, undo=True).astype(np.int32)
        cuts = np.cumsum(lengths)[:-1]
        eps = [TokenEpisode(t, a) for t, a in zip(np.split(ids, cuts), np.split(z["actions"].astype(np.float32), cuts))]
        out[md.name] = TokenWindows(md.name, eps, md.stride, T, model.cfg.sub_vocab_sizes)
    return out


def check(pack_dir: str, n: int = 50, seed: int = 0) -> None:
    """That the pack gives the windows `hma-nb train --root` builds from the store and token cache it was made from: the
    same number per robot, and `n` random ones per robot identical, token for token and action for action."""
    import torch
    from hma_nb.core import read_json, samples_dir, sha256_file
    from hma_nb.model import load_model
    from hma_nb.tokenizer import load_tokenizer
    from hma_nb.train import token_windows
    p = Path(pack_dir); meta = read_json(p / "pack.json")
    model = load_model(p / "init")
    ours = _windows(p, model, T=10)
    if sha256_file(Path(meta["root"]) / "manifest.json") != meta["manifest_sha256"]:
        raise SystemExit(f"{meta['root']} is not the store the pack was made from (its manifest changed)")
    tok = load_tokenizer(meta.get("tokenizer") or samples_dir() / "tokenizers" / "discrete")   # packs made before --tokenizer
    theirs, _ = token_windows(tok, meta["root"], "train", list(ours), 10, progress=False)
    rng = np.random.default_rng(seed)
    for d, w in ours.items():
        if len(w) != len(theirs[d]): raise SystemExit(f"{d}: {len(w)} windows in the pack, {len(theirs[d])} from the store")
        idx = rng.integers(0, len(w), n).tolist()
        (a, b), (c, e) = w.batch(idx), theirs[d].batch(idx)
        if not (torch.equal(a, c) and torch.equal(b, e)): raise SystemExit(f"{d}: the pack's windows differ from the store's")
        print(f"{d}: {len(w)} windows; {n} random ones identical to the store's")


def train(pack_dir: str, out: str, budget: float, batch_size: int, lr: float, warmup: int, init: str | None = None,
          steps: int | None = None, calib_steps: int = 20, ckpt_every: int = 0, domain_weights: dict | None = None) -> dict:
    import torch
    from hma_nb.model import load_model
    from hma_nb.core import read_json
    from hma_nb.objective import MaskingConfig
    from hma_nb.train import TrainConfig, train_model
    p = Path(pack_dir); meta = read_json(p / "pack.json")
    init = Path(init or p / "init")                            # another start (a model this script made before) is recorded as such
    model = load_model(init)
    masking = MaskingConfig(**model.info["train"]["masking"])                     # the starting run's masking (the recipe's)
    cfg = lambda steps: TrainConfig(steps=steps, batch_size=batch_size, lr=lr, warmup=min(warmup, steps),
                                    ckpt_every=min(ckpt_every or steps, steps),   # 0: at the end only; < 0 refused by TrainConfig
                                    mixture_power=0.0, domain_weights=domain_weights, masking=masking)
    t0 = time.time()
    windows = _windows(p, model, T=10)
    print(f"data ready in {time.time() - t0:.0f} s: {({d: len(w) for d, w in windows.items()})}", flush=True)
    per_step = None
    if steps is None:
        with tempfile.TemporaryDirectory() as tmp:             # time steps on a throwaway copy (first 5 not counted: warm-up)
            m = copy.deepcopy(model)
            train_model(m, windows, Path(tmp) / "a", cfg(5), progress=False)
            t1 = time.time(); train_model(m, windows, Path(tmp) / "b", cfg(calib_steps), progress=False)
            per_step = (time.time() - t1) / calib_steps
        steps = max(10, int(budget / per_step))
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    print(f"{steps} steps of {batch_size} windows on {device}" + (f" ({per_step:.3f} s per step, {budget:.0f} s)" if per_step else ""), flush=True)
    info = {"root": meta["root"], "init": meta["init"] if init == p / "init" else str(init), "T": 10, "fraction": 1.0, "manifest_sha256": meta["manifest_sha256"],
            "args": {"script": "scripts/gpu_generalist.py train", "batch_size": batch_size, "lr": lr, "budget_s": budget,
                     "device": device, "domain_weights": domain_weights}}
    init_info = {k: model.info[k] for k in ("args", "steps", "windows", "init_info") if k in model.info}
    t2 = time.time()
    hist = train_model(model, windows, out, cfg(steps), progress=False, extra_info={**info, "init_info": init_info})
    res = {"steps": steps, "seconds": round(time.time() - t2, 1),
           "token_loss_last_100": round(float(np.mean([h["token_loss"] for h in hist[-100:]])), 4)}
    print(json.dumps(res), flush=True)
    return res


def main(argv=None) -> int:
    from hma_nb.cli import domain_weights_arg
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("pack"); a.add_argument("--root", required=True); a.add_argument("--init", required=True); a.add_argument("--out", required=True)
    a.add_argument("--tokenizer", help="tokenizer whose cached tokens are packed (default data_samples/tokenizers/discrete)")
    a.add_argument("--domains", help="comma-separated robots to pack (default: every robot the starting model knows)")
    f = sub.add_parser("fresh", help="an untrained model to start from (to compare tokenizers from the same start)")
    f.add_argument("--tokenizer", required=True); f.add_argument("--root", required=True); f.add_argument("--out", required=True)
    f.add_argument("--preset", default="cpu")
    b = sub.add_parser("train"); b.add_argument("--pack", required=True); b.add_argument("--out", required=True)
    b.add_argument("--budget", type=float, default=420, help="seconds of training (the step count is set from a timing)")
    b.add_argument("--steps", type=int, help="this many steps instead of a time budget (to repeat a run)")
    b.add_argument("--batch-size", type=int, default=64); b.add_argument("--lr", type=float, default=6e-4)
    b.add_argument("--warmup", type=int, default=100)
    b.add_argument("--init", help="start from this model instead of the pack's (default PACK/init)")
    b.add_argument("--ckpt-every", type=int, default=0,
                   help="checkpoint every this many steps, so a killed run resumes (rerun the same command; default: at the end only)")
    b.add_argument("--domain-weights", type=domain_weights_arg, default=None, metavar="ROBOT=X,...",
                   help="multiply these robots' share of the batches (all robots weigh the same by default; e.g. cheetah=3)")
    c = sub.add_parser("check", help="the pack's windows against the store's (needs the store and its token cache)")
    c.add_argument("--pack", required=True); c.add_argument("-n", type=int, default=50)
    args = ap.parse_args(argv)
    if args.cmd == "pack": pack(args.root, args.init, args.out, args.tokenizer, args.domains and [d.strip() for d in args.domains.split(",") if d.strip()])
    elif args.cmd == "fresh": fresh_model(args.tokenizer, args.root, args.out, args.preset)
    elif args.cmd == "check": check(args.pack, args.n)
    else: train(args.pack, args.out, args.budget, args.batch_size, args.lr, args.warmup, args.init, args.steps, ckpt_every=args.ckpt_every,
                domain_weights=args.domain_weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
