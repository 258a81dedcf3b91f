#!/usr/bin/python3
"""Writes a tiny BERT-architecture ONNX model with seeded random weights.

It has the all-MiniLM-L6-v2 ONNX export's interface (inputs input_ids, attention_mask, token_type_ids as int64
[batch, seq]; output last_hidden_state float [batch, seq, hidden]) and the real vocabulary size from config.json,
so the real tokenizer's ids run through it. Its embeddings mean nothing: it exercises the tokenizer, the ONNX
Runtime session, pooling and normalisation. Needs Debian's python3-onnx and python3-numpy.

usage: make-tiny-bert-onnx.py --config ../shared/models/all-MiniLM-L6-v2/config.json --out model.onnx
       [--hidden 32] [--layers 2] [--heads 4] [--intermediate 64] [--seed 0] [--no-token-types]

--no-token-types leaves out the token_type_ids input, as in all-mpnet-base-v2's export.
"""
import argparse
import json

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--intermediate", type=int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--no-token-types", action="store_true")
    a = p.parse_args()
    with open(a.config, encoding="utf-8") as f:
        config = json.load(f)
    vocab = config["vocab_size"]
    positions = config.get("max_position_embeddings", 512)
    types = config.get("type_vocab_size", 2)
    eps = config.get("layer_norm_eps", 1e-12)
    h, heads, inter = a.hidden, a.heads, a.intermediate
    if h % heads:
        raise SystemExit("--hidden must be a multiple of --heads")
    dh = h // heads
    rng = np.random.default_rng(a.seed)
    inits, nodes = [], []

    def weight(name, *shape, scale=0.02):
        inits.append(numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name))
        return name

    def const(name, value, dtype=np.float32):
        inits.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
        return name

    def node(op, inputs, output, **attrs):
        nodes.append(helper.make_node(op, inputs, [output], **attrs))
        return output

    def layer_norm(x, prefix):
        g = const(prefix + ".gamma", np.ones(h))
        b = const(prefix + ".beta", np.zeros(h))
        return node("LayerNormalization", [x, g, b], prefix + ".out", axis=-1, epsilon=eps)

    def dense(x, prefix, n_in, n_out):
        w = weight(prefix + ".w", n_in, n_out)
        b = const(prefix + ".b", np.zeros(n_out))
        m = node("MatMul", [x, w], prefix + ".mm")
        return node("Add", [m, b], prefix + ".out")

    # Embeddings: word + position + token type, then LayerNorm.
    words = node("Gather", [weight("emb.word", vocab, h), "input_ids"], "emb.words")
    shape = node("Shape", ["input_ids"], "emb.shape")
    seq = node("Gather", [shape, const("one_idx", 1, np.int64)], "emb.seq")
    pos_ids = node("Range", [const("zero_i", 0, np.int64), seq, const("one_i", 1, np.int64)], "emb.pos_ids")
    pos = node("Gather", [weight("emb.pos", positions, h), pos_ids], "emb.pos_vecs")
    x = node("Add", [words, pos], "emb.sum1")
    if not a.no_token_types:
        typ = node("Gather", [weight("emb.type", types, h), "token_type_ids"], "emb.types")
        x = node("Add", [x, typ], "emb.sum2")
    x = layer_norm(x, "emb.ln")

    # Additive attention mask: 0 where attended, -10000 where padded; shape [batch, 1, 1, seq].
    mask_f = node("Cast", ["attention_mask"], "mask.f", to=TensorProto.FLOAT)
    inv = node("Sub", [const("one_f", 1.0), mask_f], "mask.inv")
    neg = node("Mul", [inv, const("neg_big", -10000.0)], "mask.neg")
    mask = node("Unsqueeze", [neg, const("mask_axes", [1, 2], np.int64)], "mask.4d")

    split_shape = const("split_shape", [0, 0, heads, dh], np.int64)
    merge_shape = const("merge_shape", [0, 0, h], np.int64)
    scale = const("attn_scale", 1.0 / np.sqrt(dh))
    for l in range(a.layers):
        p_ = f"l{l}"
        def heads_of(name, perm):
            t = dense(x, f"{p_}.{name}", h, h)
            r = node("Reshape", [t, split_shape], f"{p_}.{name}.split")
            return node("Transpose", [r], f"{p_}.{name}.t", perm=perm)
        q = heads_of("q", [0, 2, 1, 3])
        k = heads_of("k", [0, 2, 3, 1])
        v = heads_of("v", [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"{p_}.qk"), scale], f"{p_}.scaled")
        probs = node("Softmax", [node("Add", [scores, mask], f"{p_}.masked")], f"{p_}.probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"{p_}.ctx")], f"{p_}.ctx.t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merge_shape], f"{p_}.ctx.merged")
        attn = dense(ctx, f"{p_}.o", h, h)
        x = layer_norm(node("Add", [x, attn], f"{p_}.res1"), f"{p_}.ln1")
        up = dense(x, f"{p_}.ffn1", h, inter)
        # GELU(x) = 0.5 x (1 + erf(x / sqrt 2)), BERT's exact form.
        erf = node("Erf", [node("Mul", [up, const(f"{p_}.isqrt2", 1 / np.sqrt(2))], f"{p_}.g1")], f"{p_}.erf")
        gelu = node("Mul", [node("Mul", [up, node("Add", [erf, const(f"{p_}.onef", 1.0)], f"{p_}.g2")], f"{p_}.g3"), const(f"{p_}.half", 0.5)], f"{p_}.gelu")
        down = dense(gelu, f"{p_}.ffn2", inter, h)
        x = layer_norm(node("Add", [x, down], f"{p_}.res2"), f"{p_}.ln2")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))

    int_input = lambda name: helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])
    graph = helper.make_graph(
        nodes, "tiny-bert",
        [int_input("input_ids"), int_input("attention_mask")] + ([] if a.no_token_types else [int_input("token_type_ids")]),
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", h])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="movierec-tiny-bert")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, a.out)


if __name__ == "__main__":
    main()
