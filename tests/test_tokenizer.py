"""Tokenizer checkpoints that are corrupt, truncated, edited or missing: each a clear error naming the file.
(Round trips, bad frames and tokens, and factorised ids are checked in nbs/04_tokenizer.ipynb.)"""
import json

import pytest
import torch

from hma_nb.core import DataError
from hma_nb.tokenizer import TOKENIZER_PRESETS, Tokenizer, load_tokenizer, save_tokenizer


@pytest.fixture(params=["tiny", "tiny-continuous"])
def tok(request):
    torch.manual_seed(0)
    return Tokenizer(TOKENIZER_PRESETS[request.param]).eval()


def test_corrupt_checkpoints(tok, tmp_path):
    ck = save_tokenizer(tok, tmp_path / "ck", {"note": "test"})
    meta = json.loads((ck / "tokenizer.json").read_text())
    meta["config"]["channels"] = [8, 24]
    (ck / "tokenizer.json").write_text(json.dumps(meta))
    with pytest.raises(DataError, match="do not match the config"):
        load_tokenizer(ck)
    meta["config"]["colour_depth"] = 3
    (ck / "tokenizer.json").write_text(json.dumps(meta))
    with pytest.raises(DataError, match="unknown field"):
        load_tokenizer(ck)
    (ck / "tokenizer.json").write_text(json.dumps(meta)[:40])
    with pytest.raises(DataError, match="tokenizer.json"):
        load_tokenizer(ck)
    save_tokenizer(tok, ck)
    w = (ck / "tokenizer.safetensors").read_bytes()
    (ck / "tokenizer.safetensors").write_bytes(w[: len(w) // 2])
    with pytest.raises(DataError, match="corrupt or truncated"):
        load_tokenizer(ck)
    with pytest.raises(DataError, match="file not found"):
        load_tokenizer(tmp_path / "nothing")
