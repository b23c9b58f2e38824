#!/usr/bin/env python3
"""Summarises the two Chrome traces that `bench/gpu/run.sh --profile-length L` writes (three training steps each):
torch.profiler's trace of the PyTorch reference and libtorch's autograd-profiler trace of the DJL trainer.

Prints, per step: the reference's total GPU kernel time and its top kernels, the time of the kernels behind the
relative time bias (the embedding gather and its backward), and how many op events each side records.

Usage: python3 bench/gpu/profile_summary.py target/gpu-bench/torch-profile-L200.json target/gpu-bench/djl-profile-L200.json
"""
import collections
import json
import sys

STEPS = 3
# The kernels of an embedding lookup and of its backward (sort, segment reduce, atomic accumulate).
EMBEDDING_KERNELS = ("vectorized_gather_kernel", "compute_grad_weight", "krn_partial_segment", "RadixSort",
                     "krn_partial_to_segment", "embedding_backward")


def main(torch_trace, djl_trace):
    torch_events = json.load(open(torch_trace))["traceEvents"]
    kernels = [e for e in torch_events if e.get("cat") == "kernel"]
    total = sum(e["dur"] for e in kernels) / STEPS / 1000
    print(f"PyTorch reference: {total:.1f} ms of GPU kernels per step")
    by_name = collections.Counter()
    for e in kernels:
        by_name[e["name"][:80]] += e["dur"]
    print("top kernels (ms per step):")
    for name, dur in by_name.most_common(8):
        print(f"  {dur / STEPS / 1000:6.2f}  {name}")
    embedding = sum(d for n, d in by_name.items() if any(k in n for k in EMBEDDING_KERNELS)) / STEPS / 1000
    # the time bias looks up B*L*L indices per layer, the item, action and target lookups B*L or fewer
    print(f"embedding gathers and their backward, the time bias's [B, L, L, heads] lookup among them: "
          f"{embedding:.1f} ms per step")
    cpu_ops = sum(1 for e in torch_events if e.get("cat") == "cpu_op")
    print(f"PyTorch op events per step: {cpu_ops / STEPS:.0f}")

    djl_events = json.load(open(djl_trace))
    djl_events = djl_events["traceEvents"] if isinstance(djl_events, dict) else djl_events
    print(f"DJL op events per step: {len(djl_events) / STEPS:.0f}")
    djl_names = collections.Counter(e["name"] for e in djl_events)
    torch_names = collections.Counter(e["name"] for e in torch_events if e.get("cat") == "cpu_op")
    print("ops DJL runs most more often than PyTorch (per step, DJL / PyTorch):")
    for name in sorted(djl_names, key=lambda n: torch_names[n] - djl_names[n])[:6]:
        print(f"  {name:30s} {djl_names[name] / STEPS:7.1f} / {torch_names[name] / STEPS:7.1f}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
