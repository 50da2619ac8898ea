"""PushT training data from the evaluated policies: every scripted skill level's episodes (`policy_eval.policy_episode`,
10 Hz, from reset seeds --seed on, clear of the evaluation's 70000-79999), mixed with exploration episodes with random
action bursts (as the shipped specialist's last stages saw), written as one store's pusht train split.

    python scripts/pusht_policy_data.py --out runs/pe_data --per-skill 100 --explore 300

Resumable: a store that already holds pusht is left as it is (delete it to make it again)."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from tqdm.auto import tqdm

from hma_nb.core import DataError
from hma_nb.data import EpisodeStore
from hma_nb.envs import PushTEnv, domain_spec, generate_episodes
from hma_nb.policy_eval import SKILLS, policy_episode


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--per-skill", type=int, default=100, help="episodes per skill level (default 100)")
    p.add_argument("--horizon", type=int, default=40, help="model steps per policy episode after the holding step (default 40)")
    p.add_argument("--explore", type=int, default=300, help="exploration episodes with action bursts (default 300)")
    p.add_argument("--bursts", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=200000, help="first reset seed of the policy episodes (default 200000)")
    p.add_argument("--explore-seed", type=int, default=110000, help="first reset seed of the exploration episodes (default 110000)")
    a = p.parse_args()
    if min(a.per_skill, a.explore) < 0 or a.per_skill + a.explore == 0: raise DataError("need some episodes: --per-skill and --explore >= 0")
    for s, n in ((a.seed, a.per_skill * len(SKILLS)), (a.explore_seed, a.explore)):
        if s < 0 or (n and s < 80000 and s + n > 70000):
            raise DataError(f"seeds {s}-{s + n - 1}: the evaluation's start states use reset seeds 70000-79999; choose seeds clear of them")
    store = EpisodeStore(a.out)
    if "pusht" in store.domains:
        print(f"{a.out} already holds pusht; nothing to do"); return
    t0, eps = time.perf_counter(), []
    with PushTEnv(64) as env:
        for k, skill in enumerate(tqdm(SKILLS, desc="skill levels")):
            eps += [policy_episode(skill, a.seed + k * a.per_skill + i, a.horizon, env=env) for i in range(a.per_skill)]
    eps += generate_episodes("pusht", a.explore, seed=a.explore_seed, bursts=a.bursts) if a.explore else []
    spec = domain_spec("pusht")
    store.write_domain({"train": eps}, action_names=spec.action_names, action_low=spec.action_low, action_high=spec.action_high,
                       source={"generator": "scripts/pusht_policy_data.py", "per_skill": a.per_skill, "horizon": a.horizon,
                               "explore": a.explore, "bursts": a.bursts, "seed": a.seed, "explore_seed": a.explore_seed})
    print(f"{len(eps)} episodes, {sum(len(e) for e in eps)} frames in {time.perf_counter() - t0:.0f} s -> {Path(a.out)}")


if __name__ == "__main__":
    main()
