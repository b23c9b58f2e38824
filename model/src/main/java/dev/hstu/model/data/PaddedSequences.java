package dev.hstu.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.FeatureColumn.Scope;
import dev.hstu.model.modules.features.FeatureInputs;
import dev.hstu.model.modules.features.InputFeatures;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link PackedBatch} as left-aligned padded tensors on a device, padded only to the longest
 * sequence of the batch, each named after the column it comes from ({@link FeatureColumn}) or the
 * input derived from one:
 *
 * <ul>
 *   <li>{@code items}, {@code actions} {@code [B, L]} int64, 0 at padding
 *   <li>{@code timestamps} {@code [B, L]} int64 seconds since the sequence's first event (only
 *       gaps matter to the model), 0 at padding
 *   <li>{@link #LENGTHS} {@code [B]} int64 valid length of each row
 *   <li>{@link #HOUR_OF_WEEK} {@code [B, L]} int64 UTC {@code weekday * 24 + hour} of each event
 *       (Monday = 0), 0 at padding; computed from the absolute time, which {@code timestamps} no
 *       longer holds
 *   <li>each other column a feature of the model reads ({@link InputFeatures#columns}): a
 *       per-event column as {@code [B, L, width]} (float32 or int64), 0 at padding, a
 *       per-sequence one as {@code [B, width]}; e.g. {@code dense}, the dense features. A column
 *       the model does not read is not copied.
 *   <li>{@link #USER_FEATURE_ROWS} {@code [B, userFeatureSlots]} int64 rows of the hashed
 *       user-feature table ({@link UserFeatureHashing}), 0 in empty slots, and {@link
 *       #USER_FEATURE_WEIGHTS} {@code [B, userFeatureSlots]} float32 {@code 1/(keys of the user)}
 *       at filled slots, 0 at empty ones: the weights of the mean of the user's key embeddings,
 *       computed here rather than on the device where they would cost several small ops per step
 *       (instead of the {@code userFeatures} column)
 *   <li>only for a ranking batch (one with the {@link FeatureColumn#NUM_TARGETS} column): {@link #NUM_TARGETS}
 *       {@code [B]} int64 candidates at the end of each row, and {@link #POSITIONS} {@code [B, L]} int64 each event's
 *       position with every candidate at the first candidate's (so a candidate's input does not depend on how many
 *       candidates precede it); the candidates' actions are their labels and are given as 0
 * </ul>
 */
public final class PaddedSequences {

    /** {@code [B]} int64 valid length of each row. */
    public static final String LENGTHS = "lengths";
    /** {@code [B, L]} int64 UTC hour of the week of each event. */
    public static final String HOUR_OF_WEEK = "hourOfWeek";
    /** {@code [B, K]} int64 rows of the hashed user-feature table. */
    public static final String USER_FEATURE_ROWS = "userFeatureRows";
    /** {@code [B, K]} float32 mean-pooling weights of those rows. */
    public static final String USER_FEATURE_WEIGHTS = "userFeatureWeights";
    /** {@code [B]} int64 candidates at the end of each row (ranking batches only). */
    public static final String NUM_TARGETS = FeatureColumn.NUM_TARGETS;
    /** {@code [B, L]} int64 positions, candidates at the first candidate's (ranking batches only). */
    public static final String POSITIONS = "positions";

    private final Map<String, NDArray> inputs;
    private final int maxLength;

    /**
     * @param inputs the padded tensors by name; {@code items}, {@code actions}, {@code timestamps}
     *     and {@link #LENGTHS} are required
     * @param maxLength {@code L}
     * @throws IllegalArgumentException if a required tensor is missing
     */
    public PaddedSequences(Map<String, NDArray> inputs, int maxLength) {
        for (String required :
                new String[] {FeatureColumn.ITEMS, FeatureColumn.ACTIONS, FeatureColumn.TIMESTAMPS, LENGTHS}) {
            if (inputs.get(required) == null) {
                throw new IllegalArgumentException("padded sequences need the " + required + " input");
            }
        }
        Map<String, NDArray> copy = new LinkedHashMap<>();
        inputs.forEach((name, array) -> {
            if (array != null) {
                copy.put(name, array);
            }
        });
        this.inputs = Collections.unmodifiableMap(copy);
        this.maxLength = maxLength;
    }

    /**
     * @param inputs tensors named as {@link #toNDList} names them
     * @return the padded sequences
     * @throws IllegalArgumentException if a tensor has no name or a required one is missing
     */
    public static PaddedSequences fromNDList(NDList inputs) {
        Map<String, NDArray> named = new LinkedHashMap<>();
        for (NDArray array : inputs) {
            String name = array.getName();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("the encoder reads its inputs by name (PaddedSequences.toNDList);"
                        + " got an unnamed one of shape " + array.getShape());
            }
            named.put(name, array);
        }
        NDArray items = named.get(FeatureColumn.ITEMS);
        if (items == null) {
            throw new IllegalArgumentException("padded sequences need the items input");
        }
        return new PaddedSequences(named, Math.toIntExact(items.getShape().get(1)));
    }

    private static final long SECONDS_PER_DAY = 86_400L;
    /** 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0. */
    private static final int EPOCH_WEEKDAY = 3;

    /**
     * @param epochSeconds absolute event time
     * @return UTC {@code weekday * 24 + hour}, Monday 00:00 = 0
     */
    public static int hourOfWeek(long epochSeconds) {
        long day = Math.floorDiv(epochSeconds, SECONDS_PER_DAY);
        int weekday = (int) Math.floorMod(day + EPOCH_WEEKDAY, 7L);
        int hour = (int) (Math.floorMod(epochSeconds, SECONDS_PER_DAY) / 3600);
        return weekday * 24 + hour;
    }

    /**
     * Checks the batch against the model's limits and copies it to the manager's device in one
     * host-to-device transfer (the integer inputs travel as one array and are split there), plus
     * one per other column the model reads.
     *
     * @param batch jagged sequences
     * @param config model configuration (item table size, action space, longest sequence)
     * @param manager where the tensors are created
     * @return the padded tensors
     * @throws IllegalArgumentException naming the sequence, position and value that does not fit
     */
    public static PaddedSequences of(PackedBatch batch, HstuConfig config, NDManager manager) {
        checkFits(batch, config);
        int b = batch.size();
        int l = batch.maxLength();
        int grid = b * l;
        int userSlots = config.features().userFeatureSlots();
        int[] targets = numTargets(batch);
        // [items | actions | timestamps | hours] as B x L blocks, then the B lengths [, then B x K user rows]
        long[] flat = new long[4 * grid + b + b * userSlots];
        int[] offsets = batch.offsets();
        for (int s = 0; s < b; s++) {
            int start = offsets[s];
            int len = offsets[s + 1] - start;
            flat[4 * grid + s] = len;
            long origin = batch.timestamps()[start];
            for (int p = 0; p < len; p++) {
                int at = s * l + p;
                long t = batch.timestamps()[start + p];
                flat[at] = batch.items()[start + p];
                // a candidate's action is its label: the model must not read it
                flat[grid + at] = targets != null && p >= len - targets[s] ? 0 : batch.actions()[start + p];
                flat[2 * grid + at] = t - origin;
                flat[3 * grid + at] = hourOfWeek(t);
            }
        }
        float[] userWeights = userSlots > 0
                ? userFeatureRows(batch, config.features().userFeatures().buckets(), flat, 4 * grid + b)
                : null;
        NDArray all = manager.create(flat);
        NDArray blocks = all.get(new NDIndex("0:" + 4 * grid)).reshape(4, b, l);
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        inputs.put(FeatureColumn.ITEMS, blocks.get(0));
        inputs.put(FeatureColumn.ACTIONS, blocks.get(1));
        inputs.put(FeatureColumn.TIMESTAMPS, blocks.get(2));
        inputs.put(LENGTHS, all.get(new NDIndex(4 * grid + ":" + (4 * grid + b))));
        inputs.put(HOUR_OF_WEEK, blocks.get(3));
        for (FeatureColumn column : InputFeatures.columns(config)) {
            if (!column.name().equals(FeatureColumn.USER_FEATURES)) {
                inputs.put(column.name(), padded(batch, batch.column(column.name()), l, manager));
            }
        }
        if (userSlots > 0) {
            inputs.put(
                    USER_FEATURE_ROWS,
                    all.get(new NDIndex((4 * grid + b) + ":")).reshape(b, userSlots));
            inputs.put(USER_FEATURE_WEIGHTS, manager.create(userWeights, new Shape(b, userSlots)));
        }
        if (targets != null) {
            addTargetInputs(batch, targets, l, manager, inputs);
        }
        return new PaddedSequences(inputs, l);
    }

    /** @return the candidates per sequence of a ranking batch, null for any other batch */
    private static int[] numTargets(PackedBatch batch) {
        ColumnValues column = batch.column(FeatureColumn.NUM_TARGETS);
        return column == null ? null : column.ints();
    }

    private static void addTargetInputs(
            PackedBatch batch, int[] targets, int l, NDManager manager, Map<String, NDArray> inputs) {
        int b = batch.size();
        long[] positions = new long[b * l];
        long[] counts = new long[b];
        for (int s = 0; s < b; s++) {
            int history = batch.length(s) - targets[s];
            counts[s] = targets[s];
            for (int p = 0; p < l; p++) {
                positions[s * l + p] = Math.min(p, history);
            }
        }
        inputs.put(NUM_TARGETS, manager.create(counts));
        inputs.put(POSITIONS, manager.create(positions, new Shape(b, l)));
    }

    /**
     * Writes each sequence's table rows into {@code rows} from {@code at} on.
     *
     * @return the mean-pooling weight of each slot
     */
    private static float[] userFeatureRows(PackedBatch batch, int buckets, long[] rows, int at) {
        int slots = batch.userFeatureSlots();
        long[] keys = batch.userFeatures();
        float[] weights = new float[keys.length];
        for (int s = 0; s < batch.size(); s++) {
            int filled = 0;
            for (int k = s * slots; k < (s + 1) * slots; k++) {
                rows[at + k] = UserFeatureHashing.row(keys[k], buckets);
                filled += keys[k] == PackedBatch.NO_USER_FEATURE ? 0 : 1;
            }
            for (int k = s * slots; k < (s + 1) * slots && filled > 0; k++) {
                weights[k] = keys[k] == PackedBatch.NO_USER_FEATURE ? 0f : 1f / filled;
            }
        }
        return weights;
    }

    /**
     * @return a per-event column as {@code [B, L, width]} (or {@code [B, L]} for an integer column
     *     of width 1), zeros at padding; a per-sequence one as {@code [B, width]}
     */
    private static NDArray padded(PackedBatch batch, ColumnValues values, int l, NDManager manager) {
        FeatureColumn column = values.column();
        int w = column.width();
        int b = batch.size();
        if (column.scope() == Scope.SEQUENCE) {
            Shape shape = new Shape(b, w);
            return switch (column.type()) {
                case FLOAT -> manager.create(values.floats(), shape);
                case LONG -> manager.create(values.longs(), shape);
                case INT -> manager.create(toLongs(values.ints()), shape);
            };
        }
        Shape shape = column.type() != FeatureColumn.ElementType.FLOAT && w == 1 ? new Shape(b, l) : new Shape(b, l, w);
        int[] offsets = batch.offsets();
        if (column.type() == FeatureColumn.ElementType.FLOAT) {
            float[] padded = new float[b * l * w];
            for (int s = 0; s < b; s++) {
                // an event's values are contiguous in both layouts: one copy per sequence
                System.arraycopy(values.floats(), offsets[s] * w, padded, s * l * w, batch.length(s) * w);
            }
            return manager.create(padded, shape);
        }
        long[] source = column.type() == FeatureColumn.ElementType.LONG ? values.longs() : toLongs(values.ints());
        long[] padded = new long[b * l * w];
        for (int s = 0; s < b; s++) {
            System.arraycopy(source, offsets[s] * w, padded, s * l * w, batch.length(s) * w);
        }
        return manager.create(padded, shape);
    }

    private static long[] toLongs(int[] values) {
        long[] out = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /**
     * @param batch jagged sequences
     * @param config model configuration
     * @throws IllegalArgumentException if an item, action, length, the dense-feature width or the
     *     user-feature slot count does not fit the model
     */
    public static void checkFits(PackedBatch batch, HstuConfig config) {
        if (batch.size() == 0) {
            throw new IllegalArgumentException("batch has no sequences");
        }
        if (config.features().denseDim() > 0
                && batch.denseDim() != config.features().denseDim()) {
            throw new IllegalArgumentException("batch has " + batch.denseDim()
                    + " dense features per event but model.features.denseDim="
                    + config.features().denseDim()
                    + "; pack the batch with PackedBatch.builder("
                    + config.features().denseDim() + ")");
        }
        if (config.features().userFeatureSlots() > 0
                && batch.userFeatureSlots() != config.features().userFeatureSlots()) {
            throw new IllegalArgumentException("batch has " + batch.userFeatureSlots()
                    + " user-feature slots per sequence but model.features.userFeatures.slots="
                    + config.features().userFeatureSlots()
                    + "; pack the batch with PackedBatch.builder(denseDim, "
                    + config.features().userFeatureSlots() + ")");
        }
        for (FeatureColumn column : InputFeatures.columns(config)) {
            ColumnValues values = batch.column(column.name());
            if (values == null || !values.column().equals(column)) {
                throw new IllegalArgumentException(
                        "batch has " + (values == null ? "no column " + column.name() : "column " + values.column())
                                + " but the model reads " + column);
            }
        }
        ColumnValues targets = batch.column(FeatureColumn.NUM_TARGETS);
        if (targets != null && !targets.column().equals(FeatureColumn.NUM_TARGETS_COLUMN)) {
            throw new IllegalArgumentException(
                    "batch column " + targets.column() + " must be " + FeatureColumn.NUM_TARGETS_COLUMN);
        }
        int[] offsets = batch.offsets();
        for (int s = 0; s < batch.size(); s++) {
            int len = batch.length(s);
            if (targets != null && (targets.ints()[s] < 0 || targets.ints()[s] > len - 1)) {
                throw new IllegalArgumentException("batch.numTargets of sequence " + s + " must be in [0, " + (len - 1)
                        + "] (at least one history event before the candidates), got " + targets.ints()[s]);
            }
            if (len > config.encoder().maxSeqLen()) {
                throw new IllegalArgumentException(
                        "sequence " + s + " has " + len + " events, more than model.encoder.maxSeqLen="
                                + config.encoder().maxSeqLen() + "; keep only the most recent maxSeqLen events");
            }
            for (int i = offsets[s]; i < offsets[s + 1]; i++) {
                int item = batch.items()[i];
                if (item >= config.items().capacity()) {
                    throw new IllegalArgumentException("batch.items[" + i + "] (sequence " + s + ") = " + item
                            + " is outside the item table of model.items.capacity="
                            + config.items().capacity());
                }
                int action = batch.actions()[i];
                if (action >= config.features().actions().numActions()) {
                    throw new IllegalArgumentException("batch.actions[" + i + "] (sequence " + s + ") = " + action
                            + " is outside model.features.actions.numActions="
                            + config.features().actions().numActions());
                }
            }
        }
    }

    /**
     * @param name a tensor's name (a column's, or {@link #LENGTHS}, {@link #HOUR_OF_WEEK}, ...)
     * @return the tensor, or null when absent
     */
    public NDArray get(String name) {
        return inputs.get(name);
    }

    /** @return {@code [B, L]} item rows */
    public NDArray items() {
        return inputs.get(FeatureColumn.ITEMS);
    }

    /** @return {@code [B, L]} action bitmasks */
    public NDArray actions() {
        return inputs.get(FeatureColumn.ACTIONS);
    }

    /** @return {@code [B, L]} seconds since each sequence's first event */
    public NDArray timestamps() {
        return inputs.get(FeatureColumn.TIMESTAMPS);
    }

    /** @return {@code [B]} valid lengths */
    public NDArray lengths() {
        return inputs.get(LENGTHS);
    }

    /** @return {@code L} */
    public int maxLength() {
        return maxLength;
    }

    /** @return {@code [B, L]} hour of the week, or null when absent */
    public NDArray hourOfWeek() {
        return inputs.get(HOUR_OF_WEEK);
    }

    /** @return {@code [B, L, denseFeatureDim]} dense features, null when the model reads none */
    public NDArray denseFeatures() {
        return inputs.get(FeatureColumn.DENSE);
    }

    /** @return {@code [B]} candidates at the end of each row, null unless this is a ranking batch */
    public NDArray numTargets() {
        return inputs.get(NUM_TARGETS);
    }

    /** @return {@code [B, K]} user-feature table rows, null when the model reads none */
    public NDArray userFeatureRows() {
        return inputs.get(USER_FEATURE_ROWS);
    }

    /** @return {@code [B, K]} user-feature weights, null when the model reads none */
    public NDArray userFeatureWeights() {
        return inputs.get(USER_FEATURE_WEIGHTS);
    }

    /** @return the inputs the input preprocessor reads next to the item embeddings */
    public FeatureInputs inputFeatures() {
        return new FeatureInputs(inputs);
    }

    /**
     * @return the tensors, each named ({@code NDArray#getName}) as {@link #get} finds it, in the
     *     order items, actions, timestamps, lengths, hourOfWeek, then those the model's config
     *     turns on
     */
    public NDList toNDList() {
        NDList list = new NDList(inputs.size());
        inputs.forEach((name, array) -> {
            array.setName(name);
            list.add(array);
        });
        return list;
    }
}
