"Tokenizer: round trips, bad input and checkpoint problems, each a clear error."
import json

import numpy as np
import pytest
import torch

from hma_nb.core import DataError
from hma_nb.tokenizer import TOKENIZER_PRESETS, Tokenizer, factorize, load_tokenizer, save_tokenizer, unfactorize


@pytest.fixture(params=["tiny", "tiny-continuous"])
def tok(request):
    torch.manual_seed(0)
    return Tokenizer(TOKENIZER_PRESETS[request.param]).eval()


def frames(*lead, size=16, seed=0):
    return torch.as_tensor(np.random.default_rng(seed).integers(0, 256, (*lead, size, size, 3), dtype=np.uint8))


def test_round_trip_shapes_dtypes_and_determinism(tok):
    f = frames(2, 5)
    t1, t2 = tok.encode(f), tok.encode(f)
    assert torch.equal(t1, t2)
    out = tok.decode(t1)
    assert out.shape == f.shape and out.dtype == torch.uint8
    assert torch.equal(tok.decode(t1), out)
    assert torch.equal(tok.encode(f.numpy()), t1)           # numpy input works the same


@pytest.mark.parametrize("bad, msg", [
    (lambda: frames(3).float() / 255, "uint8"),
    (lambda: frames(3).to(torch.int32), "uint8"),
    (lambda: frames(3, size=32), "resize them to 16x16"),
    (lambda: frames(3)[..., :2], "[..., 16, 16, 3]"),
    (lambda: torch.zeros(16, 3, dtype=torch.uint8), "[..., 16, 16, 3]"),
])
def test_bad_frames(tok, bad, msg):
    with pytest.raises(DataError, match=msg.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        tok.encode(bad())


def test_bad_tokens(tok):
    t = tok.encode(frames(2))
    if tok.cfg.kind == "discrete":
        with pytest.raises(DataError, match="must lie in"):
            tok.decode(t - 1 - t.max())
        with pytest.raises(DataError, match="integer ids"):
            tok.decode(t.float())
    else:
        with pytest.raises(DataError, match="soft tokens"):
            tok.decode(t[..., :1, :])


def test_factorize_invertible_and_checked():
    ids = torch.randint(0, 2 ** 18, (3, 16, 16))
    sub = factorize(ids, (512, 512))
    assert sub.shape == (3, 16, 16, 2) and int(sub.max()) < 512
    assert torch.equal(unfactorize(sub, (512, 512)), ids)
    with pytest.raises(DataError, match="out of range"):
        factorize(torch.tensor([2 ** 18]), (512, 512))
    with pytest.raises(DataError, match="expected 2 sub-ids"):
        unfactorize(sub[..., :1], (512, 512))


def test_checkpoint_round_trip_and_errors(tok, tmp_path):
    f = frames(4)
    ck = save_tokenizer(tok, tmp_path / "ck", {"note": "test"})
    back = load_tokenizer(ck)
    assert torch.equal(back.decode(back.encode(f)), tok.decode(tok.encode(f)))
    assert back.info == {"note": "test"}
    meta = json.loads((ck / "tokenizer.json").read_text())
    meta["config"]["channels"] = [8, 24]
    (ck / "tokenizer.json").write_text(json.dumps(meta))
    with pytest.raises(DataError, match="do not match the config"):
        load_tokenizer(ck)
    meta["config"]["colour_depth"] = 3
    (ck / "tokenizer.json").write_text(json.dumps(meta))
    with pytest.raises(DataError, match="unknown field"):
        load_tokenizer(ck)
    save_tokenizer(tok, ck)
    w = (ck / "tokenizer.safetensors").read_bytes()
    (ck / "tokenizer.safetensors").write_bytes(w[: len(w) // 2])
    with pytest.raises(DataError, match="corrupt or truncated"):
        load_tokenizer(ck)
    with pytest.raises(DataError, match="file not found"):
        load_tokenizer(tmp_path / "nothing")
