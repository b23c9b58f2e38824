package dev.hstu.model.serve;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.hstu.model.HstuModel;
import dev.hstu.model.config.AttentionNorm;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.config.StuConfig;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.HstuEncoder;
import dev.hstu.model.modules.positional.TimeBuckets;
import dev.hstu.model.modules.stu.AttentionStructure;
import dev.hstu.model.modules.stu.StuLayer;
import dev.hstu.model.train.Autograd;
import java.util.Arrays;
import java.util.List;

/**
 * A user's query embedding after one more event, from the K/V rows of the events before it (the serving
 * counterpart of generative-recommenders' {@code cached_forward}): the new event alone goes through each STU layer,
 * attending to the cached rows and to itself with its relative position and time bias, instead of the whole history
 * being re-encoded.
 *
 * <p>Exact, not approximate: an HSTU output depends on its causal prefix only (positions count from the start, the
 * attention norm is per row, the relative buckets are pairwise), so while the history only grows at its end the
 * query equals a full encode's (within float rounding). When it does not (the window slid, the cache belongs to
 * another history), {@link #append} re-encodes the whole sequence and says so. The new event's input features are
 * computed over the whole sequence (an embedding lookup per event, cheap beside attention), so every input feature
 * that the full encode supports is supported here unchanged.
 *
 * <p>Cost of an append with {@code n} cached events: one row of projections per layer and one {@code 1 x (n+1)}
 * attention row, against {@code n+1} rows and an {@code (n+1)^2} attention for a full encode. State per user:
 * {@link KvCache#bytes()}, {@code numLayers x n x heads x (attentionDim + linearDim)} floats plus 12 bytes per event.
 */
public final class IncrementalEncoder {

    private final HstuModel model;
    private final HstuConfig config;
    private final HstuEncoder encoder;
    private final List<StuLayer> layers;

    /**
     * @param model an HSTU model (the Transformer baseline has no STU layers to cache)
     * @throws IllegalArgumentException for {@code model.encoder.type=TRANSFORMER}
     */
    public IncrementalEncoder(HstuModel model) {
        this.model = model;
        this.config = model.config();
        if (config.encoder().type() != EncoderType.HSTU) {
            throw new IllegalArgumentException("incremental encoding needs model.encoder.type=HSTU, got "
                    + config.encoder().type());
        }
        this.encoder = model.encoder();
        this.layers = encoder.stu().layers();
    }

    /**
     * @param cache what the events are encoded to, for the next append
     * @param query the unit-norm query embedding after the last event, {@code d} floats
     * @param incremental whether only the last event went through the layers
     */
    public record Encoded(KvCache cache, float[] query, boolean incremental) {}

    /**
     * Encodes one sequence from scratch.
     *
     * @param sequence a batch of exactly one sequence of at most {@code maxSeqLen} events
     * @return its cache and query
     */
    public Encoded encode(PackedBatch sequence) {
        int n = checkOne(sequence);
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDManager manager = model.manager();
            ParameterStore ps = model.parameterStore();
            PaddedSequences padded = PaddedSequences.of(sequence, config, manager);
            StuConfig stu = config.stu();
            AttentionStructure structure = AttentionStructure.of(
                    stu,
                    config.encoder().maxSeqLen(),
                    encoder.positionTable(),
                    padded.lengths(),
                    padded.timestamps(),
                    encoder.floatType());
            NDArray x = encoder.stackInput(ps, padded, structure.valid(), false, 0f);
            float[][] keys = new float[layers.size()][];
            float[][] values = new float[layers.size()][];
            for (int i = 0; i < layers.size(); i++) {
                StuLayer layer = layers.get(i);
                StuLayer.Projections p = layer.project(ps, x);
                keys[i] = eventMajor(p.k(), n);
                values[i] = eventMajor(p.v(), n);
                x = layer.output(
                        ps,
                        x,
                        p,
                        p.k(),
                        p.v(),
                        structure.scale(),
                        structure.positionBuckets(),
                        structure.timeBuckets(),
                        false);
            }
            NDArray last = x.get(new NDIndex(":, " + (n - 1) + ":" + n + ", :"));
            float[] query = floats(encoder.postprocessor().apply(last));
            return new Encoded(cache(sequence, n, keys, values), query, false);
        }
    }

    /**
     * The query after the sequence's last event, from the cache of the events before it when it holds exactly them.
     *
     * @param cache the cache of an earlier call on this model version, or null
     * @param sequence a batch of exactly one sequence of at most {@code maxSeqLen} events
     * @return the new cache and query; {@link Encoded#incremental()} false when the sequence was re-encoded
     */
    public Encoded append(KvCache cache, PackedBatch sequence) {
        int n = checkOne(sequence) - 1; // cached events before the new one
        if (cache == null
                || n == 0
                || cache.length() != n
                || cache.keys().length != layers.size()
                || !cache.isPrefixOf(sequence.items(), sequence.timestamps())) {
            return encode(sequence);
        }
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDManager manager = model.manager();
            ParameterStore ps = model.parameterStore();
            DataType floatType = encoder.floatType();
            PaddedSequences padded = PaddedSequences.of(sequence, config, manager);
            NDArray valid = manager.ones(new Shape(1, n + 1), floatType);
            NDArray x = encoder.stackInput(ps, padded, valid, false, 0f)
                    .get(new NDIndex(":, " + n + ":" + (n + 1) + ", :"));

            StuConfig stu = config.stu();
            float norm = stu.attentionNorm() == AttentionNorm.VALID_KEYS
                    ? n + 1
                    : config.encoder().maxSeqLen();
            NDArray scale = manager.full(new Shape(1, 1, 1, n + 1), 1f / norm, floatType);
            NDArray positionBuckets = encoder.positionTable().row(manager, n);
            NDArray ts = padded.timestamps().get(new NDIndex(":, 0:" + (n + 1)));
            NDArray gaps =
                    ts.get(new NDIndex(":, " + n + ":" + (n + 1))).sub(ts).expandDims(1); // [1, 1, n+1]
            NDArray timeBuckets = TimeBuckets.of(gaps, stu.timeBuckets());

            int heads = stu.numHeads();
            float[][] keys = new float[layers.size()][];
            float[][] values = new float[layers.size()][];
            for (int i = 0; i < layers.size(); i++) {
                StuLayer layer = layers.get(i);
                StuLayer.Projections p = layer.project(ps, x);
                NDArray k =
                        NDArrays.concat(new NDList(headMajor(manager, cache.keys()[i], n, heads, floatType), p.k()), 2);
                NDArray v = NDArrays.concat(
                        new NDList(headMajor(manager, cache.values()[i], n, heads, floatType), p.v()), 2);
                keys[i] = concat(cache.keys()[i], eventMajor(p.k(), 1));
                values[i] = concat(cache.values()[i], eventMajor(p.v(), 1));
                x = layer.output(ps, x, p, k, v, scale, positionBuckets, timeBuckets, false);
            }
            float[] query = floats(encoder.postprocessor().apply(x));
            return new Encoded(cache(sequence, n + 1, keys, values), query, true);
        }
    }

    private int checkOne(PackedBatch sequence) {
        if (sequence.size() != 1) {
            throw new IllegalArgumentException("one sequence at a time, got " + sequence.size());
        }
        int n = sequence.length(0);
        if (n < 1 || n > config.encoder().maxSeqLen()) {
            throw new IllegalArgumentException(
                    "a sequence of 1.." + config.encoder().maxSeqLen() + " events, got " + n);
        }
        return n;
    }

    private static KvCache cache(PackedBatch sequence, int n, float[][] keys, float[][] values) {
        return new KvCache(Arrays.copyOf(sequence.items(), n), Arrays.copyOf(sequence.timestamps(), n), keys, values);
    }

    /** {@code [1, heads, L, w]} -> the first {@code n} events' rows, event-major float32. */
    private static float[] eventMajor(NDArray perHead, int n) {
        NDArray rows = perHead.get(new NDIndex(":, :, 0:" + n + ", :")).transpose(0, 2, 1, 3);
        return floats(rows);
    }

    /** Event-major floats of {@code n} events -> {@code [1, heads, n, w]} in the model's float type. */
    private static NDArray headMajor(NDManager manager, float[] rows, int n, int heads, DataType floatType) {
        int width = rows.length / n / heads;
        return manager.create(rows, new Shape(1, n, heads, width))
                .transpose(0, 2, 1, 3)
                .toType(floatType, false);
    }

    private static float[] floats(NDArray x) {
        return x.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
