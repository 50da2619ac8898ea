"""Is one policy evaluation's ranking better than another's? Two `hma-nb policy-eval --json` outputs of the same policies
on the same start states (two models, or two samplers), compared by a paired bootstrap over the start states.

    python docs/compare_rankings.py A.json B.json [--json] [--policies-changed]

Prints each one's Pearson and Spearman and the 95% interval of B's minus A's (`policy_eval.correlation_gain_ci`).
Refuses outputs whose policies, start states or simulator scores differ (then the pairing would be false), except the
simulator's scores of the model acting as a policy, which depend on the model: each side then keeps its own.
`--policies-changed` compares two versions of the same policies (say, pushers with and without `patience`): every
simulator score may then differ, each side keeps its own, and the pairing is by start state only.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.core import DataError
from hma_nb.policy_eval import correlation_gain_ci, pearson, spearman


def scores(res: dict, side: str) -> np.ndarray:
    "Each policy's per-episode scores [P,N] on one side ('sim' or 'model') of a policy-eval summary."
    return np.array([r[f"{side}_episodes"] for r in res["policies"]], float)


def compare(a: dict, b: dict, policies_changed: bool = False) -> dict:
    "Both rankings and the paired intervals of their differences (B minus A)."
    if [r["name"] for r in a["policies"]] != [r["name"] for r in b["policies"]] or a["seeds"] != b["seeds"]:
        raise DataError("the two evaluations must have the same policies and start states")
    if a.get("patience", 0) != b.get("patience", 0) and not policies_changed:
        raise DataError(f"the pushers' patience differs ({a.get('patience', 0)} vs {b.get('patience', 0)}): "
                        "compare them with --policies-changed")
    sa, sb = scores(a, "sim"), scores(b, "sim")
    own = [r["name"] for r, x, y in zip(a["policies"], sa, sb) if not np.array_equal(x, y)]
    if set(own) - {"model"} and not policies_changed:
        raise DataError(f"the two evaluations' simulator scores differ for {own}: they did not run the same episodes")
    out = {"a": a["model"], "b": b["model"], "tokenizers": [a.get("tokenizer"), b.get("tokenizer")],   # None: not recorded
           "seeds": a["seeds"], "episodes": sa.shape[1],
           "own_simulator_scores": own}                      # the model as a policy acts differently in each
    for name, stat in (("pearson", pearson), ("spearman", spearman)):
        gain = correlation_gain_ci(sa, scores(a, "model"), scores(b, "model"), stat, sim_b_PN=sb)
        out[name] = {"a": a[name], "b": b[name], "gain_ci": None if gain is None else [round(v, 4) for v in gain]}
    return out


def main() -> dict:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("a"); p.add_argument("b")
    p.add_argument("--json", action="store_true")
    p.add_argument("--policies-changed", action="store_true",
                   help="the same policy names in two versions: each side keeps its own simulator scores")
    args = p.parse_args()
    res = compare(*(json.load(open(f)) for f in (args.a, args.b)), policies_changed=args.policies_changed)
    print(json.dumps(res) if args.json else json.dumps(res, indent=1))
    return res


if __name__ == "__main__":
    main()
