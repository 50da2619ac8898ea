"""Make the README's animated picture: a shipped world model driven by a held-out episode's actions, beside the
simulator fed the same actions (`hma-nb demo`), as a small looping GIF.

    python docs/rollout_gif.py              # nbs/images/rollout.gif: the PushT specialist, held-out PushT episode 0
    python docs/rollout_gif.py --model data_samples/models/discrete_pretrained --domain pusher --out FILE

It prints the demo's JSON (frames, PSNR against the simulator), which is what the README quotes.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import mediapy
import numpy as np
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]


def labelled(frame_HWC: np.ndarray, height: int, caption: str) -> Image.Image:
    "One demo frame (model | simulator side by side) scaled to `height`, with a caption bar above each half."
    img = Image.fromarray(frame_HWC)
    img = img.resize((round(img.width * height / img.height), height), Image.Resampling.NEAREST)
    bar = 22
    out = Image.new("RGB", (img.width, height + bar), "white")
    out.paste(img, (0, bar))
    draw, font = ImageDraw.Draw(out), ImageFont.load_default(size=13)
    half = img.width // 2
    draw.text((6, 4), caption, fill=(40, 40, 40), font=font)
    draw.text((half + 6, 4), "simulator (same actions)", fill=(40, 40, 40), font=font)
    return out


def make_gif(out: Path, domain: str = "pusht", episode: int = 0, model: str | None = None, height: int = 192,
             ms_per_frame: int = 500) -> dict:
    "Run `hma-nb demo` and write its video as a GIF at `out`; returns the demo's JSON."
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["hma-nb", "demo", "--domain", domain, "--episode", str(episode), "--out", tmp, "--json"]
        if model: cmd += ["--model", model]
        r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        video = mediapy.read_video(res["video"])
    prompt = len(video) - res["frames"]                                       # real frames the model starts from
    frames = [labelled(f, height, f"real prompt frame {i + 1}" if i < prompt else f"world model, step {i - prompt + 1}")
              for i, f in enumerate(video)]
    durations = [ms_per_frame] * (len(frames) - 1) + [ms_per_frame * 4]      # hold the last frame before looping
    pal = [f.quantize(colors=64, method=Image.Quantize.MEDIANCUT) for f in frames]
    out.parent.mkdir(parents=True, exist_ok=True)
    pal[0].save(out, save_all=True, append_images=pal[1:], duration=durations, loop=0, optimize=True, disposal=1)
    return res


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", default=str(ROOT / "nbs" / "images" / "rollout.gif"))
    p.add_argument("--domain", default="pusht")
    p.add_argument("--episode", type=int, default=0)
    p.add_argument("--model", default="data_samples/models/discrete_pusht", help="model checkpoint (default: the PushT specialist)")
    p.add_argument("--height", type=int, default=192, help="pixel height of each half")
    a = p.parse_args(argv)
    res = make_gif(Path(a.out), a.domain, a.episode, a.model, a.height)
    print(json.dumps({k: v for k, v in res.items() if k != "video"}))
    print(f"{a.out}: {Path(a.out).stat().st_size / 1024:.0f} KB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
