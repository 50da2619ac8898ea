"""How well do a robot's frames and actions decide its next pose, in the simulator's own state? (for the results page)

    python docs/pose_predictability.py --domains cheetah,pusher,kuka --episodes 40 [--strides 1,2,5,10] [--json]

A world model sees two frames and the actions between them; the simulator knows the pose behind each frame. Here each robot's
exploration policy (as in `hma-nb generate`, no bursts) runs for `--episodes` episodes from seeds 1000.., the pose is read
after every raw step (cheetah: root height, root pitch and the 6 joint angles, not the root's x, which its camera follows;
pusher: the 7 arm joints; kuka: the 7 joint angles), and for each stride s (raw steps per model frame: the shipped models use
10 for the cheetah and the pusher, 6 for kuka) a ridge regression guesses the pose s steps ahead from the current pose and
the one s steps before, without and with the s actions in between. Fit on the first three quarters of the pairs, scored on
the rest: the share of the pose change (against keeping the current pose) that it explains, and its rms error in the pose's
units (radians; metres for the cheetah's root height). A linear guess is a floor on what the frames and actions determine.
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from hma_nb.envs import make_env, make_policy


def pose(env) -> np.ndarray:
    "The pose behind the frame: joint angles (and the cheetah's root height and pitch)."
    name = env.spec.name
    if name == "cheetah": return env.data.qpos[1:].copy()
    if name == "kuka": return np.asarray(env.joints(), dtype=float)
    if name == "pusher": return env.data.qpos[:7].copy()
    raise ValueError(f"pose_predictability knows cheetah, pusher and kuka, not {name!r}")


def collect(name: str, episodes: int, steps: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    "Poses [steps+1, P] and actions [steps, A] of `episodes` episodes of the robot's exploration policy."
    poses, actions = [], []
    for e in range(episodes):
        env, policy = make_env(name), make_policy(name, 1000 + e)
        try:
            env.reset(1000 + e)
            q, a = [pose(env)], []
            for _ in range(steps):
                a.append(env.check_action(policy(env))); env.step(a[-1]); q.append(pose(env))
        finally:
            env.close()
        poses.append(np.array(q)); actions.append(np.array(a))
    return poses, actions


def explained(poses, actions, stride: int, with_actions: bool, ridge: float = 1e-3) -> dict:
    "Share of the pose change over `stride` steps explained by a ridge fit, and its rms error, on the last quarter of the pairs."
    X, Y, now = [], [], []
    for q, a in zip(poses, actions):
        for t in range(stride, len(a) - stride + 1):
            X.append(np.concatenate([q[t], q[t - stride]] + ([a[t:t + stride].ravel()] if with_actions else [])))
            Y.append(q[t + stride]); now.append(q[t])
    X, Y, now = np.c_[np.array(X), np.ones(len(X))], np.array(Y), np.array(now)
    n = len(X) * 3 // 4
    w = np.linalg.solve(X[:n].T @ X[:n] + ridge * np.eye(X.shape[1]), X[:n].T @ Y[:n])
    err, keep = ((X[n:] @ w - Y[n:]) ** 2).mean(), ((now[n:] - Y[n:]) ** 2).mean()
    return {"explained": round(float(1 - err / keep), 3), "rms_error": round(float(np.sqrt(err)), 4), "rms_change": round(float(np.sqrt(keep)), 4)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--domains", default="cheetah,pusher,kuka")
    p.add_argument("--episodes", type=int, default=40)
    p.add_argument("--steps", type=int, default=160, help="raw steps per episode")
    p.add_argument("--strides", default="1,2,5,10")
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    if a.episodes < 2 or a.steps < 4: p.error("--episodes must be >= 2 and --steps >= 4")
    strides = [int(s) for s in a.strides.split(",")]
    if min(strides) < 1 or 2 * max(strides) >= a.steps: p.error(f"--strides must be >= 1 and below --steps / 2, got {a.strides}")
    out = {}
    for d in a.domains.split(","):
        poses, actions = collect(d, a.episodes, a.steps)
        out[d] = {s: {"frames": explained(poses, actions, s, False), "frames_actions": explained(poses, actions, s, True)} for s in strides}
    if a.json: print(json.dumps(out, indent=1)); return
    print("robot    stride  pose change rms   explained (rms error): frames only | frames + actions")
    for d, rows in out.items():
        for s, r in rows.items():
            f, fa = r["frames"], r["frames_actions"]
            print(f"{d:8s} {s:6d}  {f['rms_change']:15.3f}   {f['explained']:.2f} ({f['rms_error']:.3f}) | {fa['explained']:.2f} ({fa['rms_error']:.3f})")


if __name__ == "__main__":
    main()
