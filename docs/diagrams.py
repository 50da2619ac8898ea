"""Draw the architecture diagrams the trunk and stems chapters show, as plain SVG text (no plotting library, no network).

    python docs/diagrams.py            # writes nbs/images/hma_model.svg, attention_axes.svg, kv_cache.svg

What they draw follows the code: `stems.py` (image stem and head shared, action stem and head per robot), `trunk.py`
(one frame = S grid tokens then N action tokens; pre-norm spatial attention with 2-D RoPE on the grid, per-robot adaLN,
causal temporal attention, MLP; a temporal key/value cache) and `sampling.FrameSampler` (which frames a pass computes
and which it commits to the cache). Change the drawing here when the code changes, then rerun.
"""
from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

OUT = Path(__file__).resolve().parents[1] / "nbs" / "images"
FONT = "Helvetica, Arial, sans-serif"
SHARED, SHARED_FILL = "#3b6fd8", "#eaf1fd"          # shared by all robots
ROBOT, ROBOT_FILL = "#d9811a", "#fff2e0"            # one per robot (domain)
DATA, DATA_FILL = "#7a7a7a", "#f5f5f5"
SPATIAL, TEMPORAL = "#2e9e5b", "#8e44ad"


class Svg:
    "A tiny SVG writer: boxes, text lines, arrows."
    def __init__(self, w: int, h: int, title: str):
        self.w, self.h, self.parts = w, h, []
        self.text(w / 2, 26, title, 16, weight="bold", anchor="middle")

    def rect(self, x, y, w, h, stroke=DATA, fill="none", rx=6, dash=None, width=1.4):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="{rx}" fill="{fill}" stroke="{stroke}" '
                          f'stroke-width="{width}"{d}/>')

    def text(self, x, y, s, size=12, fill="#222", weight="normal", anchor="start", style="normal"):
        self.parts.append(f'<text x="{x}" y="{y}" font-size="{size}" fill="{fill}" font-weight="{weight}" '
                          f'text-anchor="{anchor}" font-style="{style}">{escape(s)}</text>')

    def lines(self, x, y, rows, size=12, gap=15, **kw):
        for i, s in enumerate(rows): self.text(x, y + i * gap, s, size, **kw)

    def box(self, x, y, w, h, title, rows, stroke, fill, size=11.5, dash=None):
        "A rounded box with a bold title and lines of text under it."
        self.rect(x, y, w, h, stroke, fill, dash=dash)
        self.text(x + 10, y + 19, title, 12.5, fill=stroke, weight="bold")
        self.lines(x + 10, y + 37, rows, size)

    def arrow(self, x1, y1, x2, y2, color="#555", dash=None, width=1.6, label=None, lx=0, ly=-5):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        mid = {"#555": "a", ROBOT: "o", TEMPORAL: "t", SPATIAL: "s", SHARED: "b", "#bbb": "g"}[color]
        self.parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="{width}"{d} '
                          f'marker-end="url(#{mid})"/>')
        if label: self.text((x1 + x2) / 2 + lx, (y1 + y2) / 2 + ly, label, 11, fill=color, anchor="middle")

    def path(self, pts, color="#555", width=1.6):
        "A polyline without an arrow head (end it with `arrow`)."
        d = " ".join(f"{x},{y}" for x, y in pts)
        self.parts.append(f'<polyline points="{d}" fill="none" stroke="{color}" stroke-width="{width}"/>')

    def line(self, x1, y1, x2, y2, color="#555", width=1.0, dash=None, opacity=1.0):
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="{width}"{d} '
                          f'opacity="{opacity}"/>')

    def grid(self, x, y, n, cell, stroke, fill="white", hi=None, hi_fill=None, action=True, opacity=1.0):
        "An n x n token grid (cell px) with one action token to its right; `hi` (row, col) or 'act' is highlighted."
        for r in range(n):
            for c in range(n):
                f = hi_fill if hi == (r, c) else fill
                self.parts.append(f'<rect x="{x + c * cell}" y="{y + r * cell}" width="{cell}" height="{cell}" fill="{f}" '
                                  f'stroke="{stroke}" stroke-width="0.8" opacity="{opacity}"/>')
        if action:
            f = hi_fill if hi == "act" else ROBOT_FILL
            self.parts.append(f'<rect x="{x + n * cell + 5}" y="{y + (n - 1) * cell / 2}" width="{cell}" height="{cell}" '
                              f'fill="{f}" stroke="{ROBOT}" stroke-width="0.8" opacity="{opacity}"/>')

    def svg(self) -> str:
        marks = "".join(f'<marker id="{k}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
                        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
                        for k, c in (("a", "#555"), ("o", ROBOT), ("t", TEMPORAL), ("s", SPATIAL), ("b", SHARED), ("g", "#bbb")))
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.w}" height="{self.h}" viewBox="0 0 {self.w} {self.h}" '
                f'font-family="{FONT}">\n<defs>{marks}</defs>\n<rect width="100%" height="100%" fill="white"/>\n'
                + "\n".join(self.parts) + "\n</svg>\n")


def legend(s: Svg, x, y):
    s.rect(x, y - 11, 16, 12, SHARED, SHARED_FILL, rx=2); s.text(x + 22, y, "shared by all robots", 11.5)
    s.rect(x + 170, y - 11, 16, 12, ROBOT, ROBOT_FILL, rx=2); s.text(x + 192, y, "one per robot (domain)", 11.5)
    s.rect(x + 360, y - 11, 16, 12, DATA, DATA_FILL, rx=2); s.text(x + 382, y, "data", 11.5)


def model_svg() -> str:
    "(a) the whole model: stems -> shared trunk -> heads."
    s = Svg(980, 590, "HMA as built here: per-robot stems → shared trunk → heads (one robot per batch)")
    # inputs
    s.box(20, 70, 175, 118, "frame tokens", ["T frames from the tokenizer,", "each a 16×16 grid (S = 256)", "discrete: 2 sub-ids per token",
                                             "continuous: 4 floats per token", "masked tokens: predicted"], DATA, DATA_FILL)
    s.box(20, 330, 175, 118, "actions", ["the action into each frame:", "stride raw steps × raw width", "(PushT: 5 × 2 = 10 numbers)",
                                         "each robot its own width", "hidden actions: predicted"], DATA, DATA_FILL)
    # stems
    s.box(235, 70, 205, 118, "image stem · shared", ["discrete: sum of 2 embeddings", "(512 ids + 1 mask id each)",
                                                      "continuous: Linear(C → D)", "masked token → learned vector"], SHARED, SHARED_FILL)
    s.box(235, 315, 205, 148, "action stem · per robot", ["normalise: (a − mean) / std", "(that robot's data statistics)",
                                                          "MLP → condition c  [T, D]", "Linear(c) → N action tokens", "(N = 1 here)",
                                                          "hidden action → learned vector"], ROBOT, ROBOT_FILL)
    s.arrow(195, 129, 233, 129); s.arrow(195, 389, 233, 389)
    # trunk
    tx, tw = 480, 300
    s.rect(tx, 50, tw, 470, SHARED, "white", rx=10, width=2)
    s.text(tx + 12, 72, "trunk · shared by all robots", 13, fill=SHARED, weight="bold")
    s.text(tx + 12, 94, "one frame's sequence:", 11.5)
    for i in range(9):
        s.rect(tx + 14 + i * 17, 102, 14, 14, SHARED, SHARED_FILL, rx=2, width=1)
    s.text(tx + 14 + 9 * 17 + 2, 113, "…", 12)
    s.rect(tx + 14 + 9 * 17 + 22, 102, 14, 14, ROBOT, ROBOT_FILL, rx=2, width=1)
    s.text(tx + 14, 132, "S image tokens, then N action tokens", 11.5)
    s.text(tx + 14, 147, "+ learned slot and frame positions", 11.5)
    s.arrow(440, 106, tx + 11, 106)
    s.path([(440, 345), (455, 345), (455, 122)], ROBOT); s.arrow(455, 122, tx + 11, 122, color=ROBOT)
    s.text(452, 240, "N action", 11, fill=ROBOT, anchor="end"); s.text(452, 253, "tokens", 11, fill=ROBOT, anchor="end")
    bx, bw = tx + 14, tw - 28
    s.rect(bx, 160, bw, 300, "#999", "none", rx=8, dash="5,4")
    s.text(bx + bw - 8, 176, "× L blocks", 12, fill="#666", anchor="end", weight="bold")
    s.box(bx + 10, 184, bw - 20, 58, "spatial attention · within a frame", ["all S + N tokens of one frame, no mask;",
                                                                            "2-D RoPE rotates the grid tokens"], SPATIAL, "#eaf7ef", size=11)
    s.box(bx + 10, 252, bw - 20, 44, "adaLN · per robot", ["c → shift, scale, gate (zero at start)"], ROBOT, ROBOT_FILL, size=11)
    s.box(bx + 10, 306, bw - 20, 58, "temporal attention · across frames", ["each slot over its own past frames,",
                                                                              "causal; keys/values cached"], TEMPORAL, "#f4ecf8", size=11)
    s.box(bx + 10, 374, bw - 20, 40, "MLP", [], "#666", "#f5f5f5")
    s.text(bx + 10, 432, "each sublayer: x + f(LayerNorm(x)); temporal:", 10.5, fill="#555")
    s.text(bx + 10, 446, "x + (1 + gate) · attn(LN(x)·(1 + scale) + shift)", 10.5, fill="#555")
    for y1, y2 in ((242, 252), (296, 306), (364, 374)): s.arrow(tx + tw / 2, y1, tx + tw / 2, y2)
    s.box(tx + 14, 470, tw - 28, 38, "final LayerNorm", [], "#666", "#f5f5f5")
    s.path([(440, 420), (467, 420), (467, 274)], ROBOT); s.arrow(467, 274, bx + 8, 274, color=ROBOT)
    s.text(449, 414, "c", 12, fill=ROBOT, weight="bold")
    # heads
    hx = 815
    s.box(hx, 70, 150, 200, "image head · shared", ["reads the S image slots", "discrete: LayerNorm →", "Linear → 2 × 512 logits", "",
                                                     "continuous: diffusion", "head, an MLP with adaLN", "on the slot's output z,", "denoises a soft token", "(MAR)"],
          SHARED, SHARED_FILL)
    s.box(hx, 330, 150, 130, "action head · per robot", ["mean of the N action", "slots → MLP → action", "(normalised); trained on",
                                                          "hidden actions: a policy /", "inverse-dynamics model"], ROBOT, ROBOT_FILL)
    s.path([(tx + tw - 14, 489), (797, 489), (797, 160)]); s.arrow(797, 160, hx - 2, 160)
    s.arrow(797, 395, hx - 2, 395, color=ROBOT)
    s.text(hx, 490, "loss: cross-entropy or", 11, fill="#555"); s.text(hx, 504, "diffusion loss on masked", 11, fill="#555")
    s.text(hx, 518, "tokens + 0.1 × action", 11, fill="#555"); s.text(hx, 532, "error on hidden actions", 11, fill="#555")
    legend(s, 20, 560)
    s.text(20, 580, "conditioning='concat+modulate' (the default) as drawn; 'concat' drops the adaLN, 'modulate' the action tokens, "
                    "'cross_attention' adds frame → action-token attention after the spatial one.", 11, fill="#555")
    return s.svg()


def attention_svg() -> str:
    "(b) spatial vs temporal attention."
    s = Svg(980, 385, "Two attentions per block: spatial within a frame, temporal along time (causal)")
    # spatial panel
    s.rect(15, 45, 465, 325, SPATIAL, "none", rx=10)
    s.text(30, 70, "spatial: tokens of one frame attend to each other", 13, fill=SPATIAL, weight="bold")
    n, cell, gx, gy = 4, 26, 60, 100
    s.grid(gx, gy, n, cell, "#888", hi=(1, 2), hi_fill="#bfe8cf")
    qx, qy = gx + 2.5 * cell, gy + 1.5 * cell
    for r in range(n):
        for c in range(n):
            if (r, c) != (1, 2): s.line(qx, qy, gx + (c + 0.5) * cell, gy + (r + 0.5) * cell, SPATIAL, 0.9, opacity=0.7)
    s.line(qx, qy, gx + n * cell + 5 + cell / 2, gy + (n - 1) * cell / 2 + cell / 2, SPATIAL, 0.9, opacity=0.7)
    s.text(gx, gy + n * cell + 20, "frame t: S grid tokens + N action token(s)", 11.5)
    for i, lab in enumerate(("frame t−1", "frame t+1")):
        x0 = 260 + i * 110
        s.grid(x0, gy + 10, 3, 18, "#bbb", action=True, opacity=0.6)
        s.text(x0, gy + 84, lab, 11, fill="#999")
    s.text(260, gy + 100, "not seen by this attention", 11, fill="#999")
    s.lines(30, 262, ["• query and keys: the same frame only; no mask (bidirectional)",
                      "• frames are independent here: rearrange b t s d → (b t) s d",
                      "• 2-D RoPE: q and k of grid tokens rotate with row and column,",
                      "   so q·k depends on the offset; action tokens are not rotated",
                      "• the action token is one more key: it can steer exactly the",
                      "   tokens it moves"], 11.5, gap=17)
    # temporal panel
    s.rect(500, 45, 465, 325, TEMPORAL, "none", rx=10)
    s.text(515, 70, "temporal: each slot attends to its own past", 13, fill=TEMPORAL, weight="bold")
    cell, n = 18, 3
    xs = [530 + k * 100 for k in range(4)]
    y0 = 110
    for k, x0 in enumerate(xs):
        s.grid(x0, y0, n, cell, "#888" if k < 3 else "#bbb", hi=(1, 2), hi_fill="#e2c9ee" if k < 3 else "#eee",
               opacity=1.0 if k < 3 else 0.6)
        s.text(x0 + 10, y0 + 78, f"frame {k}", 11, fill="#222" if k < 3 else "#999")
    s.text(xs[2] + 10, y0 + 93, "(the query)", 11, fill=TEMPORAL)
    q = (xs[2] + 2.5 * cell, y0 + 1.5 * cell)
    for k in (0, 1):
        s.parts.append(f'<path d="M{q[0]},{q[1] - 8} C{q[0] - 40},{y0 - 35 + 10 * k} {xs[k] + 2.5 * cell + 40},{y0 - 35 + 10 * k} '
                       f'{xs[k] + 2.5 * cell},{y0 + 1.5 * cell - 8}" fill="none" stroke="{TEMPORAL}" stroke-width="1.5" '
                       f'marker-end="url(#t)"/>')
    s.parts.append(f'<path d="M{q[0] + 4},{q[1] + 8} C{q[0] + 40},{y0 + 75} {xs[3] + 2.5 * cell - 40},{y0 + 75} '
                   f'{xs[3] + 2.5 * cell},{y0 + 1.5 * cell + 8}" fill="none" stroke="#bbb" stroke-width="1.4" stroke-dasharray="4,3" '
                   f'marker-end="url(#g)"/>')
    s.text(xs[3] + 40, y0 + 95, "✗ future: masked", 11, fill="#999", anchor="middle")
    # causal mask
    mx, my, mc = 530, 250, 16
    s.text(mx, my - 8, "mask (query frame × key frame)", 11)
    for r in range(4):
        for c in range(4):
            s.parts.append(f'<rect x="{mx + c * mc}" y="{my + r * mc}" width="{mc}" height="{mc}" '
                           f'fill="{"#c89bdc" if c <= r else "#fff"}" stroke="#999" stroke-width="0.7"/>')
    s.lines(mx + 5 * mc + 10, my + 8, ["• rearrange b t s d → (b s) t d: every grid", "   position and action slot is its own sequence",
                                       "• causal: frame t sees frames ≤ t, so a future", "   frame cannot change a past prediction",
                                       "• the frame's action enters just before it:", "   adaLN shift/scale, and a gate after it"],
            11.5, gap=17)
    return s.svg()


def kv_svg() -> str:
    "(c) the temporal key/value cache while generating."
    s = Svg(980, 470, "Generating with the temporal key/value cache (FrameSampler, K MaskGIT passes per frame)")
    cols = [230 + k * 112 for k in range(6)]
    labels = ["prompt", "prompt", "generated", "generated", "generating", "next"]
    for k, x in enumerate(cols):
        s.text(x + 40, 62, f"frame {k}", 12, weight="bold", anchor="middle")
        s.text(x + 40, 77, labels[k], 11, fill="#777", anchor="middle")
    rows = [("first pass of frame 4", "in: frames 3 and 4", {0: "read", 1: "read", 2: "read", 3: "commit", 4: "draft"}),
            ("passes 2 … K of frame 4", "in: frame 4 only", {0: "read", 1: "read", 2: "read", 3: "read", 4: "draft2"}),
            ("first pass of frame 5", "in: frames 4 and 5", {0: "read", 1: "read", 2: "read", 3: "read", 4: "commit", 5: "draft"})]
    for i, (name, inp, what) in enumerate(rows):
        y = 95 + i * 92
        s.text(20, y + 30, name, 12.5, weight="bold"); s.text(20, y + 48, inp, 11.5, fill="#555")
        for k, x in enumerate(cols):
            w = what.get(k)
            if w == "read":
                s.rect(x, y + 8, 80, 56, "#999", "#e6e6e6", rx=5)
                s.text(x + 40, y + 32, "K, V", 12, fill="#555", anchor="middle")
                s.text(x + 40, y + 48, "read", 10.5, fill="#777", anchor="middle")
            elif w == "commit":
                s.rect(x, y + 8, 80, 56, SHARED, SHARED_FILL, rx=5, width=2)
                s.grid(x + 8, y + 15, 3, 10, SHARED, fill="white", action=True)
                s.text(x + 40, y + 58, "→ cache", 10.5, fill=SHARED, anchor="middle")
            elif w in ("draft", "draft2"):
                s.rect(x, y + 8, 80, 56, TEMPORAL, "#f8f1fb", rx=5, dash="5,3", width=1.6)
                hidden = {(0, 0), (0, 2), (1, 1), (2, 0), (2, 1)} if w == "draft2" else {(r, c) for r in range(3) for c in range(3)}
                for r in range(3):
                    for c in range(3):
                        s.parts.append(f'<rect x="{x + 8 + c * 10}" y="{y + 15 + r * 10}" width="10" height="10" '
                                       f'fill="{"#888" if (r, c) in hidden else "white"}" stroke="{TEMPORAL}" stroke-width="0.7"/>')
                s.text(x + 40, y + 58, "K, V not kept", 10.5, fill=TEMPORAL, anchor="middle")
    legend_y = 385
    s.rect(20, legend_y - 11, 16, 12, "#999", "#e6e6e6", rx=2); s.text(42, legend_y, "keys/values read from the cache, not recomputed", 11.5)
    s.rect(350, legend_y - 11, 16, 12, SHARED, SHARED_FILL, rx=2); s.text(372, legend_y, "finished frame: computed once more, appended (commit)", 11.5)
    s.rect(700, legend_y - 11, 16, 12, TEMPORAL, "#f8f1fb", rx=2, dash="3,2"); s.text(722, legend_y, "frame being drafted (dark: masked tokens)", 11.5)
    s.lines(20, 412, ["Only temporal attention looks at other frames: the cache holds, per block, its keys and values "
                      "[(B·(S+N)), heads, frames, head width].",
                      "Spatial attention and the MLP need nothing from the past, so a pass runs the trunk on one or two frames, "
                      "not all of them",
                      "(the first pass of a rollout runs the whole prompt and commits it). SamplerConfig(cache=False) recomputes "
                      "every frame on every pass."], 11.5, gap=17, fill="#444")
    return s.svg()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in (("hma_model.svg", model_svg), ("attention_axes.svg", attention_svg), ("kv_cache.svg", kv_svg)):
        text = make()
        assert len(text.encode()) < 40_000, f"{name} is {len(text.encode())} bytes"
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{OUT / name}: {len(text.encode())} bytes")


if __name__ == "__main__":
    main()
