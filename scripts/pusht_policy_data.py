"""PushT training data from the evaluated policies: every scripted skill level's episodes (`policy_eval.policy_episode`,
10 Hz, from reset seeds --seed on, clear of the evaluation's 70000-79999), mixed with exploration episodes with random
action bursts (as the shipped specialist's last stages saw), written as one store's pusht train split. `--retarget N` adds
N expert episodes that push the T to random poses instead of the goal (seeds --retarget-seed on), so that a pushed T's
motion in the data no longer points at the goal; `--hops N` adds N episodes in which the disc is sent short distances and
held there (`hop_episode`: a point 10-80 px away, the command repeated for 1-4 model steps; made when the disc seemed to
land a token off target in the models, which was the pushers' reading of decoded frames, docs/disc_detector.py);
`--handover N` adds N episodes in which the expert brings the T toward the goal and a wandering pusher then takes over
(`handover_episode`: a T pushed off the goal, which the policies' own episodes seldom show; made when the models were
seen to hold a T on the goal whatever touched it, the results page's "The goal holds the T");
`--include STORE` copies another store's pusht episodes in first.

    python scripts/pusht_policy_data.py --out runs/pe_data --per-skill 100 --explore 300
    python scripts/pusht_policy_data.py --out runs/pe_data3 --include runs/pe_data2 --per-skill 0 --explore 0 --retarget 600
    python scripts/pusht_policy_data.py --out runs/pe_data4 --include runs/pe_data2 --per-skill 0 --explore 0 --hops 600
    python scripts/pusht_policy_data.py --out runs/pe_data5 --include runs/pe_data2 --per-skill 0 --explore 0 --handover 600

Resumable: a store that already holds pusht is left as it is (delete it to make it again)."""
from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from hma_nb.core import DataError
from hma_nb.data import Episode, EpisodeStore, open_store
from hma_nb.envs import PushTEnv, domain_spec, generate_episodes
from hma_nb.policy_eval import BOARD, SKILLS, STRIDE, PushTPusher, TPose, planned_episode, policy_episode

TARGET_BOX = (130.0, 382.0)   # where a random target puts the T's origin (board px): the whole T stays on the board
HOP_PX, HOLD_STEPS, MARGIN = (10.0, 80.0), (1, 4), 30.0   # a hop's length (board px), its model steps held, the board's edge kept
HANDOVER = (12, 28)   # the model step after which the wandering pusher takes over (uniform, inclusive)


def random_target(seed: int) -> TPose:
    "A random pose for the T (origin uniform in TARGET_BOX squared, any angle), the same for the same seed."
    rng = np.random.default_rng([int(seed), 0x7A49])
    return TPose(rng.uniform(*TARGET_BOX, 2), float(rng.uniform(-np.pi, np.pi)))


def hop_episode(seed: int, horizon: int, env: PushTEnv) -> Episode:
    """Short held moves from reset `seed`: one model step holding still, then `horizon` model steps in which the disc is sent
    to a point HOP_PX away (all 5 targets there) and the command is repeated for HOLD_STEPS model steps, then the next point.
    Frames uint8 [T,H,W,3] and actions [T,2] at 10 Hz, laid out as `policy_episode`'s (T = 5 (horizon + 1) + 1)."""
    rng, plan, held = np.random.default_rng([int(seed), 0x40B5]), None, 0

    def hop(frame) -> np.ndarray:
        nonlocal plan, held
        if held == 0:                                                    # the next point, on the board
            r, th = rng.uniform(*HOP_PX), rng.uniform(0, 2 * np.pi)
            to = np.clip(env.agent_xy() + r * np.array([np.cos(th), np.sin(th)]), MARGIN, BOARD - MARGIN)
            plan, held = np.tile(to, (STRIDE, 1)).astype(np.float32), int(rng.integers(HOLD_STEPS[0], HOLD_STEPS[1] + 1))
        held -= 1
        return plan
    return planned_episode(hop, seed, horizon, env, {"seed": int(seed), "policy": "hops"})


def handover_episode(seed: int, horizon: int, env: PushTEnv) -> Episode:
    """The expert (`PushTPusher`) pushes the T toward the goal for HANDOVER model steps (drawn from `seed`), then the random
    skill level's wandering pusher acts on the frames that follow: a T brought to the goal and then knocked about, or off it.
    Laid out as `policy_episode`'s; the switch step goes with the episode's meta."""
    switch = int(np.random.default_rng([int(seed), 0x4A0D]).integers(HANDOVER[0], HANDOVER[1] + 1))
    expert, wanderer, steps = PushTPusher(seed), PushTPusher(seed, stream=len(SKILLS), **SKILLS["random"]), 0

    def plan(frame) -> np.ndarray:
        nonlocal steps
        steps += 1
        return (expert if steps <= switch else wanderer)(frame)
    plan.see = lambda frame: (expert.see(frame), wanderer.see(frame))       # the reset frame, as policy_episode's pusher sees it
    return planned_episode(plan, seed, horizon, env, {"seed": int(seed), "policy": "handover", "switch": switch})


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--per-skill", type=int, default=100, help="episodes per skill level (default 100)")
    p.add_argument("--horizon", type=int, default=40, help="model steps per policy episode after the holding step (default 40)")
    p.add_argument("--explore", type=int, default=300, help="exploration episodes with action bursts (default 300)")
    p.add_argument("--bursts", type=float, default=0.05)
    p.add_argument("--seed", type=int, default=200000, help="first reset seed of the policy episodes (default 200000)")
    p.add_argument("--explore-seed", type=int, default=110000, help="first reset seed of the exploration episodes (default 110000)")
    p.add_argument("--retarget", type=int, default=0, help="expert episodes pushing the T to random poses (default 0)")
    p.add_argument("--retarget-seed", type=int, default=400000, help="first reset seed of those (default 400000)")
    p.add_argument("--hops", type=int, default=0, help="episodes of short held moves (hop_episode; default 0)")
    p.add_argument("--hops-seed", type=int, default=500000, help="first reset seed of those (default 500000)")
    p.add_argument("--handover", type=int, default=0, help="episodes of the expert handing over to a wandering pusher (default 0)")
    p.add_argument("--handover-seed", type=int, default=600000, help="first reset seed of those (default 600000)")
    p.add_argument("--include", help="a store whose pusht train episodes are copied in first")
    a = p.parse_args()
    counts = (a.per_skill, a.explore, a.retarget, a.hops, a.handover)
    if min(counts) < 0 or sum(counts) == 0 and not a.include:
        raise DataError("need some episodes: --per-skill, --explore, --retarget, --hops and --handover >= 0, not all 0 without --include")
    for s, n in ((a.seed, a.per_skill * len(SKILLS)), (a.explore_seed, a.explore), (a.retarget_seed, a.retarget), (a.hops_seed, a.hops),
                 (a.handover_seed, a.handover)):
        if s < 0 or (n and s < 80000 and s + n > 70000):
            raise DataError(f"seeds {s}-{s + n - 1}: the evaluation's start states use reset seeds 70000-79999; choose seeds clear of them")
    store = EpisodeStore(a.out)
    if "pusht" in store.domains:
        print(f"{a.out} already holds pusht; nothing to do"); return
    t0, eps = time.perf_counter(), []
    if a.include:
        eps += list(tqdm(open_store(a.include).iter_episodes("pusht", "train"), desc=f"copying {a.include}"))
    with PushTEnv(64) as env:
        for k, skill in enumerate(tqdm(SKILLS, desc="skill levels", disable=not a.per_skill)):
            eps += [policy_episode(skill, a.seed + k * a.per_skill + i, a.horizon, env=env) for i in range(a.per_skill)]
        eps += [policy_episode("expert", s, a.horizon, env=env, target=random_target(s))
                for s in tqdm(range(a.retarget_seed, a.retarget_seed + a.retarget), desc="expert to random poses", disable=not a.retarget)]
        eps += [hop_episode(s, a.horizon, env) for s in tqdm(range(a.hops_seed, a.hops_seed + a.hops), desc="short held moves", disable=not a.hops)]
        eps += [handover_episode(s, a.horizon, env) for s in tqdm(range(a.handover_seed, a.handover_seed + a.handover),
                                                                 desc="expert, then a wanderer", disable=not a.handover)]
    eps += generate_episodes("pusht", a.explore, seed=a.explore_seed, bursts=a.bursts) if a.explore else []
    spec = domain_spec("pusht")
    store.write_domain({"train": eps}, action_names=spec.action_names, action_low=spec.action_low, action_high=spec.action_high,
                       source={"generator": "scripts/pusht_policy_data.py", "per_skill": a.per_skill, "horizon": a.horizon,
                               "explore": a.explore, "bursts": a.bursts, "seed": a.seed, "explore_seed": a.explore_seed,
                               "retarget": a.retarget, "retarget_seed": a.retarget_seed, "hops": a.hops, "hops_seed": a.hops_seed,
                               "handover": a.handover, "handover_seed": a.handover_seed,
                               "include": a.include})
    print(f"{len(eps)} episodes, {sum(len(e) for e in eps)} frames in {time.perf_counter() - t0:.0f} s -> {Path(a.out)}")


if __name__ == "__main__":
    main()
