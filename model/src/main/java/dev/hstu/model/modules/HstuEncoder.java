package dev.hstu.model.modules;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.hstu.model.config.EncoderType;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.modules.baselines.TransformerStack;
import dev.hstu.model.modules.features.InputPreprocessor;
import dev.hstu.model.modules.features.ItemEmbeddingTable;
import dev.hstu.model.modules.features.ItemIdDropout;
import dev.hstu.model.modules.positional.PositionBucketTable;
import dev.hstu.model.modules.postprocessors.L2NormPostprocessor;
import dev.hstu.model.modules.stu.AttentionStructure;
import dev.hstu.model.modules.stu.SequenceStack;
import dev.hstu.model.modules.stu.StuStack;

/**
 * The HSTU sequence encoder (the paper's transducer without task heads): item embedding, input
 * preprocessor, STU stack (or, with {@code encoder=TRANSFORMER}, the SASRec-style baseline
 * layers), L2-normalising postprocessor.
 *
 * <p>NDList contract: inputs named as {@link PaddedSequences#toNDList} names them ({@code items,
 * actions, timestamps, lengths}, {@code hourOfWeek} and the inputs of every feature the config
 * turns on), looked up by name; output {@code ([B,L,d])}, unit-norm at every valid position. The output at position {@code p} depends on events {@code
 * 0..p} of its own sequence only; in a ranking batch ({@link PaddedSequences#NUM_TARGETS}) a candidate's
 * output depends on the history before the candidates and on itself only (see {@link AttentionStructure}).
 */
public final class HstuEncoder extends AbstractBlock {

    private final HstuConfig config;
    private final ItemEmbeddingTable itemEmbedding;
    private final InputPreprocessor preprocessor;
    private final AbstractBlock layers;
    private final SequenceStack stack;
    private final L2NormPostprocessor postprocessor;
    private final PositionBucketTable positionTable;

    /** @param config model configuration; validated here */
    public HstuEncoder(HstuConfig config) {
        this.config = config.validate();
        this.itemEmbedding = addChildBlock(
                "itemEmbedding",
                new ItemEmbeddingTable(
                        config.items().capacity(), config.encoder().embeddingDim()));
        this.preprocessor = addChildBlock("preprocessor", new InputPreprocessor(config));
        if (config.encoder().type() == EncoderType.TRANSFORMER) {
            TransformerStack transformer =
                    new TransformerStack(config.stu(), config.encoder().embeddingDim());
            this.layers = addChildBlock("transformer", transformer);
            this.stack = transformer;
        } else {
            StuStack stu = new StuStack(config.stu(), config.encoder().embeddingDim());
            this.layers = addChildBlock("stu", stu);
            this.stack = stu;
        }
        this.postprocessor = addChildBlock("postprocessor", new L2NormPostprocessor());
        this.positionTable = new PositionBucketTable(
                config.stu().positionBuckets(), config.encoder().maxSeqLen());
    }

    /**
     * Encodes a padded batch with every input its config turns on.
     *
     * @param ps parameter store
     * @param padded the padded inputs (see {@link PaddedSequences#of})
     * @param training enables dropout
     * @return {@code [B, L, d]} unit-norm outputs
     * @throws IllegalArgumentException if an input the config turns on is null
     */
    public NDArray encode(ParameterStore ps, PaddedSequences padded, boolean training) {
        return encode(ps, padded, training, 0f);
    }

    /**
     * Encodes a padded batch, dropping item-ID embedding rows in training (see {@link
     * ItemIdDropout}).
     *
     * @param ps parameter store
     * @param padded the padded inputs (see {@link PaddedSequences#of})
     * @param training enables dropout
     * @param itemIdDropout share of events whose item-ID row is zeroed when {@code training}
     * @return {@code [B, L, d]} unit-norm outputs
     * @throws IllegalArgumentException if an input the config turns on is null
     */
    public NDArray encode(ParameterStore ps, PaddedSequences padded, boolean training, float itemIdDropout) {
        AttentionStructure structure = AttentionStructure.of(
                config.stu(),
                config.encoder().maxSeqLen(),
                positionTable,
                padded.lengths(),
                padded.timestamps(),
                padded.numTargets(),
                floatType());
        NDArray x = stackInput(ps, padded, structure.valid(), training, itemIdDropout);
        return postprocessor.apply(stack.apply(ps, x, structure, training));
    }

    /** @return the type the parameters are read in: float16 copies under mixed precision */
    public DataType floatType() {
        return config.runtime().mixedPrecision()
                ? DataType.FLOAT16
                : itemEmbedding.weight().getArray().getDataType();
    }

    /**
     * The layers' input: each event's summed input features, zero at padding.
     *
     * @param ps parameter store
     * @param padded the padded inputs
     * @param valid {@code [B, L]} 1 at events, 0 at padding, in {@link #floatType()}
     * @param training enables dropout
     * @param itemIdDropout share of item-ID rows zeroed when {@code training}
     * @return {@code [B, L, d]}
     */
    public NDArray stackInput(
            ParameterStore ps, PaddedSequences padded, NDArray valid, boolean training, float itemIdDropout) {
        return preprocessor.apply(
                ps, itemInputs(ps, padded.items(), training, itemIdDropout), padded.inputFeatures(), valid, training);
    }

    /** @return the normalisation of the outputs */
    public L2NormPostprocessor postprocessor() {
        return postprocessor;
    }

    /** @return the relative position buckets of this encoder's attention */
    public PositionBucketTable positionTable() {
        return positionTable;
    }

    /**
     * The item-ID rows the input preprocessor receives.
     *
     * @param ps parameter store
     * @param items {@code [B, L]} int64 item rows
     * @param training whether this is a training pass (only then are rows dropped)
     * @param itemIdDropout share of rows to zero in training
     * @return {@code [B, L, d]}
     */
    public NDArray itemInputs(ParameterStore ps, NDArray items, boolean training, float itemIdDropout) {
        NDArray rows = itemEmbedding.lookup(ps, items);
        return training ? ItemIdDropout.apply(rows, itemIdDropout) : rows;
    }

    /** @return the configuration this encoder was built with */
    public HstuConfig config() {
        return config;
    }

    /** @return the input preprocessor (the multimodal item tables are attached to it) */
    public InputPreprocessor preprocessor() {
        return preprocessor;
    }

    /** @return the item table, shared with scoring and the loss */
    public ItemEmbeddingTable itemEmbedding() {
        return itemEmbedding;
    }

    /**
     * @return the STU layers
     * @throws IllegalStateException if this encoder runs the Transformer baseline
     */
    public StuStack stu() {
        if (!(layers instanceof StuStack stu)) {
            throw new IllegalStateException(
                    "model.encoder.type=" + config.encoder().type() + " has no STU layers");
        }
        return stu;
    }

    /**
     * Initialises every parameter with fixed shapes from the config.
     *
     * @param manager where the parameters live (and their device)
     * @param dataType FLOAT32 normally, FLOAT64 for gradient checks
     */
    public void initialize(NDManager manager, DataType dataType) {
        Shape seq = new Shape(1, 2);
        initialize(manager, dataType, seq, seq, seq, new Shape(1));
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(encode(ps, PaddedSequences.fromNDList(inputs), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape items = inputShapes[0];
        return new Shape[] {
            new Shape(items.get(0), items.get(1), config.encoder().embeddingDim())
        };
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape items = inputShapes[0];
        long b = items.get(0);
        long l = items.get(1);
        Shape hidden = new Shape(b, l, config.encoder().embeddingDim());
        itemEmbedding.initialize(manager, dataType, items);
        preprocessor.initialize(manager, dataType, hidden, items, items, items, items);
        layers.initialize(manager, dataType, hidden, new Shape(b, 1, l, l), new Shape(l, l), new Shape(b, l, l));
        postprocessor.initialize(manager, dataType, hidden);
    }
}
