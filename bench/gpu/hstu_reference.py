#!/usr/bin/env python3
"""PyTorch eager reference of one HSTU training step, for the GPU trainer benchmark (issue 8).

It computes the same function as the Java model in model/ (dev.hstu.model): the same input preprocessor,
STU layers (fused UVQK projection with SiLU, pointwise SiLU attention scaled by causal/padding masks and
1/n, relative position and time bias, norm then U-gating, dropout, output projection, residual), L2-normalised
outputs, sampled softmax over shared uniform negatives, global-norm clipping and AdamW (betas 0.9/0.98). It
is written the way one would write it in plain PyTorch: idiomatic eager ops (F.embedding for table lookups, whose
backward is far faster than indexing a parameter with a tensor), no compilation, fp32.

Modes (each writes one JSON file):
  check --dump DIR --json F   load the parameters and batch the Java side dumped, compute outputs and the
                              loss without dropout, report the loss and the largest output difference
  step  --length L --batch B --json F   time training steps and no-gradient forwards like GpuTrainerBenchmark
                              (--profile T: three more steps under torch.profiler, a Chrome trace in T)
"""
import argparse
import json
import math
import time

import torch
import torch.nn.functional as F


class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def position_buckets(length, buckets, max_seq_len, device):
    """PositionBuckets.matrix: bucket of max(i - j, 0); exact below buckets/2, log-spaced above."""
    i = torch.arange(length, device=device)
    distance = (i[:, None] - i[None, :]).clamp(min=0)
    if buckets >= max_seq_len:
        return distance.clamp(max=buckets - 1)
    exact = buckets // 2
    scaled = torch.log(distance.double().clamp(min=1) / exact) / math.log(max_seq_len / exact)
    far = (exact + (scaled * (buckets - exact)).long()).clamp(max=buckets - 1)
    return torch.where(distance < exact, distance, far)


def time_buckets(gaps, buckets):
    """TimeBuckets.of: floor(2 * log2(1 + |gap|) + 1e-3) in float32, clipped."""
    b = (gaps.abs().float() + 1).log() * (2.0 / math.log(2.0)) + 1e-3
    return b.floor().clamp(0, buckets - 1).long()


class Stu(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        fused = c.heads * (2 * c.linear_dim + 2 * c.attention_dim)
        self.uvqk = torch.nn.Parameter(torch.empty(fused, c.d))
        self.uvqk_bias = torch.nn.Parameter(torch.zeros(fused))
        self.out = torch.nn.Parameter(torch.empty(c.d, c.heads * c.linear_dim))
        self.out_bias = torch.nn.Parameter(torch.zeros(c.d))
        self.input_norm = torch.nn.LayerNorm(c.d, eps=1e-6)
        self.attention_norm = torch.nn.LayerNorm(c.heads * c.linear_dim, eps=1e-6)
        self.position_bias = torch.nn.Parameter(torch.randn(c.position_buckets, c.heads) * 0.02)
        self.time_bias = torch.nn.Parameter(torch.randn(c.time_buckets, c.heads) * 0.02)
        torch.nn.init.xavier_uniform_(self.uvqk)
        torch.nn.init.xavier_uniform_(self.out)

    def forward(self, x, scale, pos_buckets, t_buckets):
        c = self.c
        b, l, _ = x.shape
        h, hl, ha = c.heads, c.heads * c.linear_dim, c.heads * c.attention_dim
        uvqk = F.silu(F.linear(self.input_norm(x), self.uvqk, self.uvqk_bias))
        u, v, q, k = torch.split(uvqk, [hl, hl, ha, ha], dim=2)
        v = v.view(b, l, h, c.linear_dim).transpose(1, 2)
        q = q.view(b, l, h, c.attention_dim).transpose(1, 2)
        k = k.view(b, l, h, c.attention_dim).transpose(1, 2)
        rab = F.embedding(pos_buckets, self.position_bias).permute(2, 0, 1).unsqueeze(0) \
            + F.embedding(t_buckets, self.time_bias).permute(0, 3, 1, 2)
        logits = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(c.attention_dim)) + rab
        attention = F.silu(logits) * scale
        attended = torch.matmul(attention, v).transpose(1, 2).reshape(b, l, hl)
        gated = F.dropout(self.attention_norm(attended) * u, c.dropout, self.training)
        return x + F.linear(gated, self.out, self.out_bias)


class Hstu(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.c = c
        self.items = torch.nn.Parameter(torch.nn.init.trunc_normal_(torch.empty(c.items, c.d), std=0.02))
        self.position = torch.nn.Parameter(torch.nn.init.trunc_normal_(torch.empty(c.max_seq_len, c.d), std=0.02))
        self.action = torch.nn.Parameter(torch.nn.init.trunc_normal_(torch.empty(c.actions, c.d), std=0.02))
        self.layers = torch.nn.ModuleList([Stu(c) for _ in range(c.layers)])

    def forward(self, items, actions, timestamps, lengths):
        c = self.c
        b, l = items.shape
        device = items.device
        p = torch.arange(l, device=device)
        valid = (p[None, :] < lengths[:, None]).float()
        causal = (p[None, :] <= p[:, None]).float() / (p + 1).float()[:, None]
        scale = (causal[None] * valid[:, :, None] * valid[:, None, :]).unsqueeze(1)
        pos_buckets = position_buckets(l, c.position_buckets, c.max_seq_len, device)
        t_buckets = time_buckets(timestamps[:, :, None] - timestamps[:, None, :], c.time_buckets)
        x = F.embedding(items, self.items) * math.sqrt(c.d) + self.position[:l] + F.embedding(actions, self.action)
        x = F.dropout(x, c.input_dropout, self.training) * valid[:, :, None]
        for layer in self.layers:
            x = layer(x, scale, pos_buckets, t_buckets)
        return F.normalize(x, p=2, dim=-1, eps=1e-6)


def sampled_softmax(out, query_rows, positives, candidates, items, temperature):
    queries = F.embedding(query_rows, out.reshape(-1, out.shape[-1]))
    pos = F.normalize(F.embedding(positives, items), p=2, dim=-1, eps=1e-6)
    neg = F.normalize(F.embedding(candidates, items), p=2, dim=-1, eps=1e-6)
    positive_logit = (queries * pos).sum(1, keepdim=True) * (1.0 / temperature)
    hits = (positives[:, None] == candidates[None, :]).float()
    candidate_logits = torch.matmul(queries, neg.t()) * (1.0 / temperature) - hits * 1e9
    logits = torch.cat([positive_logit, candidate_logits], dim=1)
    return -F.log_softmax(logits, dim=1)[:, 0].mean()


def config_from(java):
    """The Java HstuConfig JSON: one object per section (items, encoder, stu, features, task, optimizer, ...)."""
    stu, task, opt = java["stu"], java["task"], java["optimizer"]
    return Config(items=java["items"]["capacity"], d=java["encoder"]["embeddingDim"], layers=stu["numLayers"],
                  heads=stu["numHeads"], attention_dim=stu["attentionDim"], linear_dim=stu["linearDim"],
                  max_seq_len=java["encoder"]["maxSeqLen"], dropout=stu["dropout"],
                  input_dropout=java["features"]["inputDropout"], actions=java["features"]["actions"]["numActions"],
                  position_buckets=stu["positionBuckets"], time_buckets=stu["timeBuckets"],
                  negatives=task["numNegatives"], temperature=task["temperature"], lr=opt["learningRate"],
                  weight_decay=opt["weightDecay"], clip=opt["gradClipNorm"])


def load_java_parameters(model, dump, index):
    """Maps the DJL parameter names (01itemEmbedding_weight, 03stu_01layer0_uvqkWeight, ...) onto this module."""
    flat = torch.from_numpy(__import__("numpy").fromfile(f"{dump}/params.f32", dtype="<f4"))
    offset = 0
    with torch.no_grad():
        for entry in index:
            name, shape = entry["name"], entry["shape"]
            n = math.prod(shape)
            value = flat[offset:offset + n].view(*shape)
            offset += n
            target = java_name_to_parameter(model, name)
            target.copy_(value.to(target.device))
    assert offset == flat.numel(), f"{flat.numel() - offset} floats of params.f32 unused"


def java_name_to_parameter(model, name):
    if name.endswith("itemEmbedding_weight"):
        return model.items
    if name.endswith("preprocessor_position"):
        return model.position
    if name.endswith("preprocessor_action"):
        return model.action
    layer = model.layers[int(name.split("layer")[1].split("_")[0])]
    suffix = {
        "uvqkWeight": layer.uvqk, "uvqkBias": layer.uvqk_bias, "outputWeight": layer.out,
        "outputBias": layer.out_bias, "inputNorm_gamma": layer.input_norm.weight,
        "inputNorm_beta": layer.input_norm.bias, "attentionOutputNorm_gamma": layer.attention_norm.weight,
        "attentionOutputNorm_beta": layer.attention_norm.bias, "relativeBias_position": layer.position_bias,
        "relativeBias_time": layer.time_bias,
    }
    for key, parameter in suffix.items():
        if name.endswith(key):
            return parameter
    raise KeyError(f"no reference parameter for DJL parameter {name}")


def check(args, device):
    import numpy as np
    java = json.load(open(args.java_json))
    c = config_from(java["config"])
    model = Hstu(c).to(device).eval()
    load_java_parameters(model, args.dump, java["parameters"])
    b, l = java["sequences"], java["length"]
    batch = torch.from_numpy(np.fromfile(f"{args.dump}/batch.i64", dtype="<i8")).to(device)
    items, actions, timestamps = (batch[i * b * l:(i + 1) * b * l].view(b, l) for i in range(3))
    lengths = batch[3 * b * l:]
    t, n = java["targets"], java["candidates"]
    targets = torch.from_numpy(np.fromfile(f"{args.dump}/targets.i64", dtype="<i8")).to(device)
    query_rows, positives, candidates = targets[:t], targets[t:2 * t], targets[2 * t:2 * t + n]
    with torch.no_grad():
        out = model(items, actions, timestamps, lengths)
        loss = sampled_softmax(out, query_rows, positives, candidates, model.items, c.temperature)
    java_out = torch.from_numpy(np.fromfile(f"{args.dump}/outputs.f32", dtype="<f4")).to(device).view_as(out)
    result = {"torch": torch.__version__, "cuda": torch.version.cuda, "device": str(device),
              "loss": loss.item(), "maxOutputDiff": (out - java_out).abs().max().item(), "outputValues": out.numel()}
    json.dump(result, open(args.json, "w"), indent=2)
    print(f"reference check: loss {result['loss']:.6f}, largest output difference {result['maxOutputDiff']:.2e}")


def synthetic_batch(c, sequences, length, generator, device):
    """Like TrainingThroughputBenchmark.batch: full-length sequences, gaps of up to an hour."""
    items = torch.randint(2, c.items, (sequences, length), generator=generator)
    actions = torch.randint(0, 2, (sequences, length), generator=generator)
    gaps = torch.randint(0, 3600, (sequences, length), generator=generator)
    gaps[:, 0] = 0
    timestamps = gaps.cumsum(1)
    lengths = torch.full((sequences,), length, dtype=torch.long)
    return items, actions, timestamps, lengths


def step(args, device):
    c = Config(items=args.items + 2, d=args.dim, layers=args.layers, heads=args.heads, attention_dim=args.dim // args.heads,
               linear_dim=args.dim // args.heads, max_seq_len=args.length, dropout=0.2, input_dropout=0.2, actions=16,
               position_buckets=64, time_buckets=64, negatives=args.negatives, temperature=0.05, lr=1e-3,
               weight_decay=0.0, clip=1.0)
    torch.manual_seed(42)
    model = Hstu(c).to(device).train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=c.lr, betas=(0.9, 0.98), eps=1e-8, weight_decay=c.weight_decay)
    host = synthetic_batch(c, args.batch, args.length, torch.Generator().manual_seed(7), device)
    b, l = args.batch, args.length
    # every position but the last is a query; its target is the next item
    query_rows = (torch.arange(b)[:, None] * l + torch.arange(l - 1)[None, :]).reshape(-1)
    host_positives = host[0][:, 1:].reshape(-1)

    # --amp: PyTorch's automatic mixed precision, float16 autocast with a GradScaler
    scaler = torch.amp.GradScaler(device.type, enabled=args.amp)

    def train_step():
        items, actions, timestamps, lengths = (t.to(device) for t in host)
        rows, positives = query_rows.to(device), host_positives.to(device)
        candidates = torch.randint(2, c.items, (c.negatives,), device=device)
        with torch.autocast(device.type, dtype=torch.float16, enabled=args.amp):
            out = model(items, actions, timestamps, lengths)
            loss = sampled_softmax(out, rows, positives, candidates, model.items, c.temperature)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        loss_value = loss.item()
        scaler.unscale_(optimizer)
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), c.clip).item()
        if math.isfinite(loss_value) and (math.isfinite(norm) or args.amp):
            scaler.step(optimizer)
            scaler.update()
        return loss_value

    def forward():
        with torch.no_grad(), torch.autocast(device.type, dtype=torch.float16, enabled=args.amp):
            items, actions, timestamps, lengths = (t.to(device) for t in host)
            out = model(items, actions, timestamps, lengths)
            return out[:, -1].cpu()

    step_ms, forward_ms, loss = [], [], float("nan")
    for i in range(-args.warmup, args.steps):
        t0 = time.perf_counter()
        loss = train_step()
        if i >= 0:
            step_ms.append((time.perf_counter() - t0) * 1000)
    if args.profile:
        from torch.profiler import ProfilerActivity, profile
        with profile(activities=[ProfilerActivity.CPU, ProfilerActivity.CUDA]) as prof:
            for _ in range(3):
                train_step()
        prof.export_chrome_trace(args.profile)
    model.eval()
    for i in range(-args.warmup, args.steps):
        t0 = time.perf_counter()
        forward()
        if i >= 0:
            forward_ms.append((time.perf_counter() - t0) * 1000)
    result = {"implementation": f"PyTorch {torch.__version__} eager" + (" AMP float16" if args.amp else ""),
              "device": str(device), "batch": b, "length": l,
              "steps": args.steps, "stepMsMedian": median(step_ms), "stepMsMean": sum(step_ms) / len(step_ms),
              "forwardMsMedian": median(forward_ms), "lastLoss": loss, "targetsPerStep": b * (l - 1)}
    if device.type == "cuda":
        result["maxMemoryAllocatedMiB"] = torch.cuda.max_memory_allocated(device) / 2**20
        result["maxMemoryReservedMiB"] = torch.cuda.max_memory_reserved(device) / 2**20
    json.dump(result, open(args.json, "w"), indent=2)
    print(f"PyTorch L={l} B={b}: step {result['stepMsMedian']:.2f} ms (median), forward {result['forwardMsMedian']:.2f} ms")


def median(values):
    s = sorted(values)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["check", "step"])
    parser.add_argument("--json", required=True)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--dump", help="check: the directory GpuTrainerBenchmark check wrote")
    parser.add_argument("--java-json", help="check: the JSON GpuTrainerBenchmark check wrote")
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--negatives", type=int, default=512)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--profile", help="step: also profile three steps and write a Chrome trace here")
    parser.add_argument("--amp", action="store_true", help="step: float16 autocast with a GradScaler")
    args = parser.parse_args()
    device = torch.device(args.device)
    check(args, device) if args.mode == "check" else step(args, device)


if __name__ == "__main__":
    main()
