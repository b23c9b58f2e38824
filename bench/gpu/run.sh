#!/usr/bin/env bash
# GPU trainer benchmark (issue 8): the DJL HstuTrainer against the PyTorch eager reference on the same GPU, in one
# run, written to bench/results/gpu-trainer.md.
#
# Usage: bench/gpu/run.sh [--lengths "200 1024"] [--batch 128] [--steps 20] [--kafka-batches 40]
#        [--profile-length 200]   (profile three more steps of both at this length: Chrome traces in target/gpu-bench)
#        [--mixed-precision yes]  (also DJL with model.mixedPrecision against PyTorch AMP, float16)
#        (bench/run gpu-trainer ... calls this with the bench classpath)
# Needs on the GPU host: nvidia-smi; python3 with a CUDA build of torch; Java 17 (JAVA=path/to/java); the bench
# classpath (CP=...; built from bench/target when unset; JAVA_OPTS are passed to the JVM); and DJL's PyTorch engine
# able to see the GPU, e.g. PYTORCH_LIBRARY_PATH=<libtorch>/lib PYTORCH_VERSION=<x.y.z> PYTORCH_FLAVOR=cu<NNN>
# (docs/gpu.md; bench/target/lib holds DJL's CPU natives, which PYTORCH_LIBRARY_PATH overrides).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

lengths="200 1024"
batch=128
steps=20
kafka_batches=40
profile_length=200
mixed=yes
command="bench/gpu/run.sh$(printf ' %q' "$@")"
while [ $# -gt 0 ]; do
  case "$1" in
    --lengths) lengths=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --kafka-batches) kafka_batches=$2; shift 2 ;;
    --profile-length) profile_length=$2; shift 2 ;;
    --mixed-precision) mixed=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

command -v nvidia-smi >/dev/null || { echo "gpu-trainer needs an NVIDIA GPU host: nvidia-smi not found" >&2; exit 2; }
python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null \
  || { echo "gpu-trainer needs python3 with a CUDA build of torch that sees the GPU (the reference)" >&2; exit 2; }
JAVA=${JAVA:-java}
if [ -z "${CP:-}" ]; then
  [ -d bench/target/lib ] || mvn -B -q -DskipTests install >&2
  CP="bench/target/classes:$(ls bench/target/lib/*.jar | tr '\n' ':')"
fi
out=${GPU_BENCH_DIR:-target/gpu-bench}
mkdir -p "$out"
rm -f "$out"/*.json "$out"/mem-*.txt "$out"/*.samples

djl() {
  # JAVA_OPTS last, so that it can override these (e.g. -Dai.djl.offline=false to let DJL download natives)
  "$JAVA" -Xmx16g -Dai.djl.offline=true -Dlog4j2.configurationFile="$root/conf/log4j2.xml" \
    --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED ${JAVA_OPTS:-} \
    -cp "$CP" dev.hstu.bench.gpu.GpuTrainerBenchmark "$@"
}

# Runs a command while sampling the GPU's memory.used every 100 ms; writes the peak (MiB) to the file $1.
with_peak_memory() {
  local file=$1; shift
  nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 100 > "$file.samples" &
  local sampler=$! rc=0
  "$@" || rc=$?
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  sort -n "$file.samples" | tail -1 > "$file"
  rm -f "$file.samples"
  return $rc
}

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader > "$out/gpu.txt"
echo "== same function: DJL parameters and batch through the reference"
djl check --dump "$out/check" --json "$out/djl-check.json"
python3 bench/gpu/hstu_reference.py check --dump "$out/check" --java-json "$out/djl-check.json" \
  --json "$out/torch-check.json"
for length in $lengths; do
  echo "== step time, length $length, batch $batch"
  torch_profile=() djl_profile=()
  if [ "$length" = "$profile_length" ]; then
    torch_profile=(--profile "$out/torch-profile-L$length.json")
    djl_profile=(--profile "$out/djl-profile-L$length.json")
  fi
  with_peak_memory "$out/mem-torch-L$length.txt" python3 bench/gpu/hstu_reference.py step --length "$length" \
    --batch "$batch" --steps "$steps" --json "$out/torch-step-L$length.json" "${torch_profile[@]}"
  with_peak_memory "$out/mem-djl-L$length.txt" djl step --length "$length" --batch "$batch" --steps "$steps" \
    --json "$out/djl-step-L$length.json" "${djl_profile[@]}"
  if [ "$mixed" = yes ]; then
    echo "== step time, float16 mixed precision, length $length, batch $batch"
    # an extra: a failure here is reported and the run goes on
    with_peak_memory "$out/mem-torch-mixed-L$length.txt" python3 bench/gpu/hstu_reference.py step --amp \
      --length "$length" --batch "$batch" --steps "$steps" --json "$out/torch-mixed-L$length.json" \
      || echo "PyTorch AMP at length $length failed" >&2
    with_peak_memory "$out/mem-djl-mixed-L$length.txt" djl step --mixed true --length "$length" --batch "$batch" \
      --steps "$steps" --json "$out/djl-mixed-L$length.json" \
      || echo "DJL mixed precision at length $length failed" >&2
  fi
done
if [ -f "$out/torch-profile-L$profile_length.json" ] && [ -f "$out/djl-profile-L$profile_length.json" ]; then
  echo "== where the time goes, length $profile_length"
  python3 bench/gpu/profile_summary.py "$out/torch-profile-L$profile_length.json" \
    "$out/djl-profile-L$profile_length.json" | tee "$out/profile-summary.txt"
fi
if [ "$kafka_batches" -gt 0 ]; then
  echo "== fed from Kafka: $kafka_batches micro-batches of $batch x 200"
  djl kafka --length 200 --batch "$batch" --batches "$kafka_batches" --json "$out/djl-kafka.json"
fi
djl report --inputs "$out" --results bench/results/gpu-trainer.md --command "$command" --notes bench/gpu/notes.md
