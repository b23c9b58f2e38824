package dev.hstu.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.formats.io.AtomicFiles;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.MultimodalItemTables;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.HstuEncoder;
import dev.hstu.model.modules.features.MultimodalItemFeatures;
import dev.hstu.model.serve.ItemScorer;
import dev.hstu.model.serve.TopK;
import dev.hstu.model.tasks.ItemVectors;
import dev.hstu.model.tasks.Task;
import dev.hstu.model.tasks.Tasks;
import dev.hstu.model.train.AdamW;
import dev.hstu.model.train.Autograd;
import dev.hstu.model.train.Float16ParameterStore;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * An HSTU encoder and its {@link Task} with their parameters on the configured device: encodes user
 * sequences into query embeddings and retrieves top-K items by the task's scores.
 *
 * <p>Only item rows {@code 2..itemRowsInUse-1} are scored; rows never assigned to an item are not.
 *
 * <p>Not thread-safe: use one thread at a time (training and serving each own an instance).
 */
public final class HstuModel implements AutoCloseable {

    private static final String ENGINE = "PyTorch";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HstuConfig config;
    private final NDManager manager;
    private final HstuEncoder encoder;
    private final Task task;
    private final ParameterStore parameterStore;
    private int itemRowsInUse = ItemVocabulary.FIRST_ITEM;
    /** The device copies of the fixed multimodal item embeddings, null until set. */
    private NDList multimodalTables;

    private HstuModel(HstuConfig config, Path parameterDir) throws IOException {
        this.config = config.validate();
        Engine engine = Engine.getEngine(ENGINE);
        Device device = resolveDevice(config.runtime().device(), engine);
        this.manager = engine.newBaseManager(device);
        boolean built = false;
        try {
            this.encoder = new HstuEncoder(config);
            this.task = Tasks.create(config);
            if (parameterDir == null) {
                // Initialisers draw from the engine's generator: seed it so a config fixes the weights.
                engine.setRandomSeed((int) config.runtime().seed());
                encoder.initialize(manager, DataType.FLOAT32);
                Block own = task.block();
                if (own != null) {
                    own.initialize(
                            manager,
                            DataType.FLOAT32,
                            new Shape(1, config.encoder().embeddingDim()));
                }
            } else {
                loadParameters(parameterDir.resolve(ModelFiles.PARAMETERS));
            }
            // mixed precision: the forward pass reads float16 copies of the float32 parameters
            this.parameterStore = config.runtime().mixedPrecision()
                    ? new Float16ParameterStore(manager)
                    : new ParameterStore(manager, false);
            built = true;
        } finally {
            if (!built) {
                manager.close();
            }
        }
    }

    /**
     * Creates a freshly initialised model.
     *
     * @param config model configuration (validated here)
     * @return the model; close it to free its native memory
     * @throws IllegalArgumentException if the config is invalid or its device is unavailable
     */
    public static HstuModel create(HstuConfig config) {
        try {
            return new HstuModel(config, null);
        } catch (IOException e) {
            throw new IllegalStateException("unreachable: no file is read when creating a model", e);
        }
    }

    /**
     * Loads a model written by {@link #save(Path)} (or by a trainer's save).
     *
     * @param dir the model directory
     * @return the model, with bit-identical parameters
     * @throws IOException if a file is missing or malformed
     */
    public static HstuModel load(Path dir) throws IOException {
        return load(dir, UnaryOperator.identity());
    }

    /**
     * Loads a model onto another device than the one it was saved from (e.g. trained on a GPU,
     * served on CPUs); the returned model's config carries the new device. On the CPU it also runs
     * in float32: mixed precision is a GPU training setting.
     *
     * @param dir the model directory
     * @param device {@code "cpu"}, {@code "gpu"} or {@code "gpu:N"}; null keeps the saved one
     * @return the model, with bit-identical parameters
     * @throws IOException if a file is missing or malformed
     */
    public static HstuModel load(Path dir, String device) throws IOException {
        return load(
                dir,
                saved -> device == null
                        ? saved
                        : saved.with("runtime.device", device)
                                .with(
                                        "runtime.mixedPrecision",
                                        saved.runtime().mixedPrecision() && !"cpu".equals(device))
                                .validate());
    }

    /**
     * Loads a model with its saved config adjusted, e.g. its runtime settings; settings that shape the parameters
     * must stay as saved, or the parameters do not load.
     *
     * @param dir the model directory
     * @param adjust turns the saved config into the one to run with (validated)
     * @return the model, with bit-identical parameters
     * @throws IOException if a file is missing or malformed
     */
    public static HstuModel load(Path dir, UnaryOperator<HstuConfig> adjust) throws IOException {
        HstuConfig config = adjust.apply(HstuConfig.read(dir.resolve(ModelFiles.CONFIG)));
        HstuModel model = new HstuModel(config, dir);
        try {
            ModelState state =
                    JSON.readValue(dir.resolve(ModelFiles.MODEL_STATE).toFile(), ModelState.class);
            model.setItemRowsInUse(state.itemRowsInUse());
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    /**
     * Writes config, parameters and item-row count into {@code dir} (created if absent); every
     * file is written atomically.
     *
     * @param dir the model directory
     * @throws IOException on failure
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.write(
                dir.resolve(ModelFiles.CONFIG), out -> out.write(config.toJson().getBytes(StandardCharsets.UTF_8)));
        AtomicFiles.write(dir.resolve(ModelFiles.PARAMETERS), out -> {
            DataOutputStream data = new DataOutputStream(out);
            encoder.saveParameters(data);
            if (task.block() != null) {
                task.block().saveParameters(data);
            }
            data.flush();
        });
        AtomicFiles.write(
                dir.resolve(ModelFiles.MODEL_STATE), out -> JSON.writeValue(out, new ModelState(1, itemRowsInUse)));
    }

    private void loadParameters(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream data = new DataInputStream(in);
            encoder.loadParameters(manager, data);
            if (task.block() != null) {
                task.block().loadParameters(manager, data);
            }
        } catch (MalformedModelException e) {
            throw new IOException("malformed parameters in " + file + ": " + e.getMessage(), e);
        }
        // DJL's loader does not restore requires-grad; a loaded model must stay trainable.
        for (Pair<String, Parameter> p : parameters()) {
            p.getValue().getArray().setRequiresGradient(true);
        }
    }

    /** @return every trained parameter in checkpoint order: the encoder's, then the task's own */
    public PairList<String, Parameter> parameters() {
        PairList<String, Parameter> all = encoder.getParameters();
        if (task.block() != null) {
            all.addAll(task.block().getParameters());
        }
        return all;
    }

    /**
     * Encodes every sequence and returns the output at its last event: the user's query.
     *
     * @param seqs sequences (targets ignored)
     * @return {@code seqs.size() * queryWidth()} floats, row-major, unit-norm rows (unless an inner-product Match
     *     projects them)
     */
    public float[] encodeQueries(PackedBatch seqs) {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            return queries(seqs).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /** @return the width of {@link #encodeQueries} rows and of {@link #itemEmbeddings} rows */
    public int queryWidth() {
        int d = config.encoder().embeddingDim();
        return config.match() == null ? d : config.match().outputWidth(d);
    }

    /**
     * Encodes every sequence and returns the output at every event, in the batch's packed order.
     *
     * @param seqs sequences
     * @return {@code seqs.totalEvents() * d} floats, row-major, unit-norm rows
     */
    public float[] encodeSequences(PackedBatch seqs) {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            PaddedSequences padded = PaddedSequences.of(seqs, config, manager);
            NDArray out = forward(padded, false);
            long[] rows = new long[seqs.totalEvents()];
            int[] offsets = seqs.offsets();
            for (int s = 0; s < seqs.size(); s++) {
                for (int p = 0; p < seqs.length(s); p++) {
                    rows[offsets[s] + p] = (long) s * padded.maxLength() + p;
                }
            }
            return gatherRows(out, rows).toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    /**
     * Retrieves the best items for each sequence among item rows {@code 2..itemRowsInUse()-1}.
     *
     * @param seqs sequences
     * @param k items per sequence
     * @param excludeSeen drop the items already in the sequence
     * @return one result per sequence, best first
     */
    public TopK[] recommend(PackedBatch seqs, int k, boolean excludeSeen) {
        return recommend(seqs, k, excludeSeen, itemRowsInUse);
    }

    /**
     * Like {@link #recommend(PackedBatch, int, boolean)} with an explicit row count, e.g. the
     * serving side's {@code ItemVocabulary.size()}.
     *
     * @param seqs sequences
     * @param k items per sequence
     * @param excludeSeen drop the items already in the sequence
     * @param itemRows score rows {@code 2..itemRows-1}
     * @return one result per sequence, best first
     */
    public TopK[] recommend(PackedBatch seqs, int k, boolean excludeSeen, int itemRows) {
        checkItemRows(itemRows);
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray scores = task.scores(this, encode(seqs), seqs, itemRows);
            return ItemScorer.topK(scores, k, excludeSeen ? seqs : null);
        }
    }

    /**
     * The task's scores of every item row {@code 2..itemRows-1} for each sequence: the full
     * ranking an evaluator needs. Call inside an {@link NDScope}; the result lives on this
     * model's device until the scope closes.
     *
     * @param seqs sequences
     * @param itemRows score rows {@code 2..itemRows-1}
     * @return {@code [seqs.size(), itemRows-2]}
     */
    public NDArray itemScores(PackedBatch seqs, int itemRows) {
        checkItemRows(itemRows);
        Autograd.disableOnThisThread();
        return task.scores(this, encode(seqs), seqs, itemRows);
    }

    /**
     * @return the vectors the task scores item rows {@code 2..itemRowsInUse()-1} by (the unit-norm item-table rows
     *     for retrieval, and for a task that does not score by item vectors; the item tower's outputs for Match),
     *     row-major, for export next to the vocabulary's id file
     */
    public float[] itemEmbeddings() {
        Autograd.disableOnThisThread();
        try (NDScope ignored = new NDScope()) {
            NDArray anchor = manager.zeros(new Shape(1));
            NDArray vectors = task instanceof ItemVectors scored
                    ? scored.itemVectors(this, itemRowsInUse, anchor)
                    : encoder.itemEmbedding()
                            .normalizedRows(parameterStore, ItemVocabulary.FIRST_ITEM, itemRowsInUse, anchor);
            return vectors.toType(DataType.FLOAT32, false).toFloatArray();
        }
    }

    private NDArray queries(PackedBatch seqs) {
        NDArray last = lastOutputs(encode(seqs), seqs);
        return task instanceof ItemVectors vectors ? vectors.queries(this, last) : last;
    }

    private NDArray encode(PackedBatch seqs) {
        return forward(PaddedSequences.of(seqs, config, manager), false);
    }

    /**
     * Picks each sequence's output at its last event: the user's query.
     *
     * @param out {@code [B, L, d]} encoder outputs of {@code seqs}
     * @param seqs the encoded sequences
     * @return {@code [seqs.size(), d]}
     */
    public NDArray lastOutputs(NDArray out, PackedBatch seqs) {
        long paddedLength = out.getShape().get(1);
        long[] rows = new long[seqs.size()];
        for (int s = 0; s < seqs.size(); s++) {
            rows[s] = s * paddedLength + seqs.length(s) - 1;
        }
        return gatherRows(out, rows);
    }

    /**
     * Runs the encoder on padded inputs.
     *
     * @param padded inputs created on this model's manager
     * @param training enables dropout
     * @return {@code [B, L, d]}
     */
    public NDArray forward(PaddedSequences padded, boolean training) {
        return encoder.encode(parameterStore, padded, training);
    }

    /**
     * Runs the encoder on padded inputs, dropping item-ID embedding rows in training.
     *
     * @param padded inputs created on this model's manager
     * @param training enables dropout
     * @param itemIdDropout share of events whose item-ID row is zeroed when {@code training}
     * @return {@code [B, L, d]}
     */
    public NDArray forward(PaddedSequences padded, boolean training, float itemIdDropout) {
        return encoder.encode(parameterStore, padded, training, itemIdDropout);
    }

    /**
     * Uploads the fixed multimodal item embeddings to this model's device, where every forward
     * pass looks events up in them, replacing any uploaded before (e.g. after filling the rows of
     * newly assigned items). They are data, not parameters: {@link #save} does not write them, so
     * call this again after {@link #load}.
     *
     * @param tables the embeddings of every item row, for this model's {@code itemCapacity} and
     *     {@code multimodalDims}
     * @throws IllegalArgumentException if the tables do not fit this model's config
     * @throws IllegalStateException if the config has no {@code multimodalDims}
     */
    public void setMultimodalTables(MultimodalItemTables tables) {
        MultimodalItemFeatures features = encoder.preprocessor().multimodal();
        tables.checkFits(config);
        NDList uploaded = tables.toNDList(manager);
        // lives as long as the model, even when uploaded from inside a caller's scope
        NDScope.unregister(uploaded);
        features.attach(uploaded);
        if (multimodalTables != null) {
            multimodalTables.close();
        }
        multimodalTables = uploaded;
    }

    /**
     * Picks rows of a {@code [B, L, d]} output by flat index {@code b*L + p}.
     *
     * @param out encoder output
     * @param flatRows flat row indices
     * @return {@code [flatRows.length, d]}
     */
    public NDArray gatherRows(NDArray out, long[] flatRows) {
        NDArray flat = out.reshape(-1, config.encoder().embeddingDim());
        return Embedding.embedding(manager.create(flatRows), flat, SparseFormat.DENSE)
                .singletonOrThrow();
    }

    /**
     * Raises the number of item rows in use to cover every item of {@code batch}.
     *
     * @param batch a batch about to be trained on
     */
    public void noteItems(PackedBatch batch) {
        int max = itemRowsInUse - 1;
        for (int item : batch.items()) {
            max = Math.max(max, item);
        }
        setItemRowsInUse(max + 1);
    }

    /**
     * Sets how many leading rows of the item table hold items (the vocabulary's {@code size()});
     * only rows {@code 2..rows-1} are scored and sampled as negatives. Never shrinks.
     *
     * @param rows rows in use including the two reserved rows
     */
    public void setItemRowsInUse(int rows) {
        checkItemRows(rows);
        itemRowsInUse = Math.max(itemRowsInUse, rows);
    }

    private void checkItemRows(int rows) {
        if (rows < ItemVocabulary.FIRST_ITEM || rows > config.items().capacity()) {
            throw new IllegalArgumentException("item rows in use must be in [2, model.items.capacity="
                    + config.items().capacity() + "], got " + rows);
        }
    }

    /** @return rows of the item table in use, including the two reserved rows */
    public int itemRowsInUse() {
        return itemRowsInUse;
    }

    /** @return the configuration */
    public HstuConfig config() {
        return config;
    }

    /** @return the encoder block (parameters included) */
    public HstuEncoder encoder() {
        return encoder;
    }

    /** @return what the model is trained for and scores by */
    public Task task() {
        return task;
    }

    /** @return the manager owning the parameters, on the model's device */
    public NDManager manager() {
        return manager;
    }

    /** @return the parameter store the forward pass reads parameters through */
    public ParameterStore parameterStore() {
        return parameterStore;
    }

    /**
     * @return where an optimiser reads each parameter's gradient: the parameter's own, or under mixed precision the
     *     float16 copy's, in float32
     */
    public AdamW.GradientSource gradientSource() {
        return parameterStore instanceof Float16ParameterStore copies
                ? (parameter, weight) -> copies.float32Gradient(parameter)
                : (parameter, weight) -> weight.getGradient();
    }

    /** To be called once the parameters have changed, so that the next pass reads them afresh. */
    public void parametersUpdated() {
        if (parameterStore instanceof Float16ParameterStore copies) {
            copies.clear();
        }
    }

    /** @return the device the parameters live on */
    public Device device() {
        return manager.getDevice();
    }

    /**
     * Maps {@code "cpu" | "gpu" | "gpu:N"} to a DJL device, refusing a GPU the engine cannot see
     * instead of silently running on the CPU.
     *
     * @param name device name from the config
     * @param engine the engine that will run the model
     * @return the device
     */
    static Device resolveDevice(String name, Engine engine) {
        if ("cpu".equals(name)) {
            return Device.cpu();
        }
        int id = "gpu".equals(name) ? 0 : Integer.parseInt(name.substring("gpu:".length()));
        int gpus = engine.getGpuCount();
        if (id >= gpus) {
            throw new IllegalArgumentException(
                    "model.runtime.device=" + name + " but the " + engine.getEngineName() + " engine sees " + gpus
                            + " GPU(s); use a CUDA build of the PyTorch native library or device \"cpu\"");
        }
        return Device.gpu(id);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Non-parameter state saved with the model. */
    record ModelState(int formatVersion, int itemRowsInUse) {}
}
