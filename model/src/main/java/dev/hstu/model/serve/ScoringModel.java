package dev.hstu.model.serve;

import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.store.ModelVersion;
import dev.hstu.model.HstuModel;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.MultimodalCatalog;
import dev.hstu.model.data.MultimodalItemTables;
import dev.hstu.model.data.SequencePacker;
import dev.hstu.model.tasks.match.MatchTask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One loaded, verified model version and the item vocabulary it was trained with: turns user sequences into
 * top-K recommendations and query embeddings in batches (one forward pass and one scoring matmul per batch).
 */
public final class ScoringModel implements AutoCloseable {

    private final ModelVersion version;
    private final HstuModel model;
    private final ItemVocabulary vocabulary;
    private final SequencePacker packer;
    private final int maxLength;

    private ScoringModel(ModelVersion version, HstuModel model, ItemVocabulary vocabulary) {
        this.version = version;
        this.model = model;
        this.vocabulary = vocabulary;
        this.packer = new SequencePacker(
                vocabulary,
                false,
                model.config().features().denseDim(),
                model.config().features().userFeatureSlots());
        this.maxLength = model.config().encoder().maxSeqLen();
    }

    /**
     * Loads the version at {@code manifest.path()} after checking its files against the manifest's checksum, so a
     * partial or altered version is refused (and the caller keeps serving the previous one).
     */
    public static ScoringModel load(ModelVersion manifest) {
        return load(manifest, null);
    }

    /**
     * Like {@link #load(ModelVersion)}, onto {@code device} whatever device trained the version (a GPU trainer's
     * versions are served by CPU TaskManagers); null keeps the device it was trained on.
     */
    public static ScoringModel load(ModelVersion manifest, String device) {
        return load(manifest, device, null);
    }

    /**
     * Like {@link #load(ModelVersion, String)}, attaching the item embeddings of the model's multimodal features
     * ({@code catalog}: null when it takes none) to the rows of the version's vocabulary.
     */
    public static ScoringModel load(ModelVersion manifest, String device, MultimodalCatalog catalog) {
        Path dir = Path.of(manifest.path());
        ModelVersion onDisk = ModelStore.verify(dir);
        if (onDisk.version() != manifest.version() || !onDisk.checksum().equals(manifest.checksum())) {
            throw new IllegalStateException("model directory " + dir + " holds version " + onDisk.version()
                    + ", not the announced version " + manifest.version());
        }
        try {
            ItemVocabulary vocabulary = ItemVocabulary.load(ModelFiles.vocabulary(dir));
            HstuModel model = HstuModel.load(dir, device);
            try {
                MatchTask.requireNoSideColumns(model.config(), "serving version " + manifest.version());
                attachMultimodal(model, vocabulary, catalog, manifest.version());
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return new ScoringModel(onDisk, model, vocabulary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load model version " + manifest.version() + " from " + dir, e);
        }
    }

    private static void attachMultimodal(
            HstuModel model, ItemVocabulary vocabulary, MultimodalCatalog catalog, long version) {
        if (model.config().features().multimodalDims().isEmpty()) {
            return;
        }
        if (catalog == null) {
            throw new IllegalStateException("model version " + version + " takes multimodal features "
                    + model.config().features().multimodalDims().keySet()
                    + ": set features.multimodalFiles for the serving job");
        }
        catalog.checkFits(model.config());
        MultimodalItemTables tables = MultimodalItemTables.forConfig(model.config());
        catalog.fill(tables, vocabulary, ItemVocabulary.FIRST_ITEM, vocabulary.size());
        model.setMultimodalTables(tables);
    }

    public ModelVersion version() {
        return version;
    }

    /** Dense features per event the model takes (0: none). */
    public int denseFeatureDim() {
        return model.config().features().denseDim();
    }

    /** User-feature keys per sequence the model reads; 0 when it takes none. */
    public int userFeatureSlots() {
        return model.config().features().userFeatureSlots();
    }

    /**
     * One user's scoring.
     *
     * @param userId the user
     * @param items the top-K external item ids, best first
     * @param scores their scores
     * @param query the query embedding the list was scored with
     * @param modelVersion the version that scored
     * @param eventTimeMs the time of the user's last event
     * @param scoredAtMs when the list was scored
     */
    public record Scored(
            long userId,
            long[] items,
            float[] scores,
            float[] query,
            long modelVersion,
            long eventTimeMs,
            long scoredAtMs) {}

    /**
     * A user's history as the scorer reads it, oldest event first.
     *
     * @param items external item ids
     * @param actions action bitmasks
     * @param timestampsMs event times
     * @param features event-major dense features, {@code featureDim} per event; empty for none
     * @param featureDim dense features per event
     * @param userFeatures the user's hashed feature keys; empty for none
     */
    public record History(
            long[] items, int[] actions, long[] timestampsMs, float[] features, int featureDim, long[] userFeatures) {

        /** @return the time of the last event; {@code Long.MIN_VALUE} for an empty history */
        public long lastTimestampMs() {
            return timestampsMs.length == 0 ? Long.MIN_VALUE : timestampsMs[timestampsMs.length - 1];
        }
    }

    /**
     * The top-K list and the query embedding of each of the given users (parallel lists), from one encoder pass:
     * the list is scored with the very vector that is returned with it.
     *
     * @return one result per user, in the order of the users
     */
    public List<Scored> score(List<Long> users, List<History> sequences, int k, boolean excludeSeen) {
        for (History s : sequences) {
            long[] userFeatures = s.userFeatures();
            packer.add(
                    s.items(),
                    s.actions(),
                    s.timestampsMs(),
                    s.features(),
                    s.featureDim(),
                    0,
                    s.items().length,
                    0,
                    maxLength,
                    userFeatures,
                    0,
                    userFeatures.length);
        }
        QueryRetrieval.Result result =
                QueryRetrieval.retrieve(model, packer.drain(), k, excludeSeen, vocabulary.size());
        TopK[] top = result.topK();
        long now = System.currentTimeMillis();
        List<Scored> out = new ArrayList<>(users.size());
        for (int i = 0; i < top.length; i++) {
            int[] indices = top[i].items();
            long[] ids = new long[indices.length];
            for (int j = 0; j < indices.length; j++) {
                ids[j] = vocabulary.idOf(indices[j]);
            }
            History s = sequences.get(i);
            out.add(new Scored(
                    users.get(i), ids, top[i].scores(), result.query(i), version.version(), s.lastTimestampMs(), now));
        }
        return out;
    }

    @Override
    public void close() {
        model.close();
    }
}
