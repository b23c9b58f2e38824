package dev.hstu.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.hstu.formats.store.ModelFiles;
import dev.hstu.formats.store.ModelStore;
import dev.hstu.formats.vectors.EmbeddingFiles;
import dev.hstu.model.config.ActionEncoding;
import dev.hstu.model.config.HstuConfig;
import dev.hstu.model.data.ItemVocabulary;
import dev.hstu.model.data.PackedBatch;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models written before the seed's feature switches existed (resources {@code legacy-models/}: the
 * tiny test config, plain and with time and dense features, saved with their outputs on a fixed
 * batch by the code of that time) still load, encode as they did and save to the same bytes; and
 * a model created now from their config, every new switch off, has the same parameters.
 */
class LegacyModelCompatibilityTest {

    private static final List<String> MODELS = List.of("plain", "time-dense");
    private static final int D = 16;

    @TempDir
    Path tmp;

    @Test
    void modelsSavedBeforeTheSwitchesLoadEncodeAsBeforeAndSaveTheSameBytes() throws IOException {
        for (String name : MODELS) {
            Path dir = resource(name);
            try (HstuModel model = HstuModel.load(dir)) {
                HstuConfig config = model.config();
                assertThat(config.features().actions().encoding()).isEqualTo(ActionEncoding.VALUE);
                assertThat(config.features().gating()).isNull();
                assertThat(config.features().multimodalDims()).isEmpty();
                assertThat(config.features().userFeatureSlots()).isZero();

                float[] expected = flat(EmbeddingFiles.readFbin(dir.resolve("expected-sequences.fbin")));
                float[] actual = model.encodeSequences(batch(config));
                assertThat(actual).as(name).hasSameSizeAs(expected);
                for (int i = 0; i < expected.length; i++) {
                    assertThat(actual[i]).as("%s output %d", name, i).isCloseTo(expected[i], within(1e-5f));
                }

                Path saved = tmp.resolve(name);
                model.save(saved);
                assertThat(HstuConfig.read(saved.resolve(ModelFiles.CONFIG)))
                        .as("%s config, saved in the composed form", name)
                        .isEqualTo(config);
                assertThat(Files.readString(saved.resolve(ModelFiles.CONFIG))).contains("\"stu\"");
                assertThat(Files.mismatch(saved.resolve(ModelFiles.PARAMETERS), dir.resolve(ModelFiles.PARAMETERS)))
                        .as("%s parameters file, byte for byte", name)
                        .isEqualTo(-1L);
            }
        }
    }

    @Test
    void aModelCreatedNowWithTheSwitchesOffHasTheParametersOfBefore() throws IOException {
        for (String name : MODELS) {
            Path dir = resource(name);
            try (HstuModel legacy = HstuModel.load(dir);
                    HstuModel fresh = HstuModel.create(HstuConfig.read(dir.resolve(ModelFiles.CONFIG)))) {
                PairList<String, Parameter> before = legacy.encoder().getParameters();
                PairList<String, Parameter> now = fresh.encoder().getParameters();
                assertThat(now.keys()).as(name).containsExactlyElementsOf(before.keys());
                for (int p = 0; p < before.size(); p++) {
                    Pair<String, Parameter> old = before.get(p);
                    float[] a = old.getValue().getArray().toFloatArray();
                    float[] b = now.get(p).getValue().getArray().toFloatArray();
                    assertThat(now.get(p).getValue().getArray().getShape())
                            .as(old.getKey())
                            .isEqualTo(old.getValue().getArray().getShape());
                    if (fresh.config().features().denseDim() > 0) {
                        // The dense projection's start was made small on purpose (see DenseFeatureProjection); its
                        // draws differ, and so do those of every parameter initialised after it.
                        continue;
                    }
                    for (int i = 0; i < a.length; i++) {
                        assertThat(b[i]).as("%s %s[%d]", name, old.getKey(), i).isCloseTo(a[i], within(1e-6f));
                    }
                }
            }
        }
    }

    /** The batch the expected outputs were computed on: 3 sequences, with 3 dense features per event when the model reads them. */
    private static PackedBatch batch(HstuConfig config) {
        PackedBatch plain = TestBatches.random(new SplittableRandom(5), new int[] {6, 2, 9}, 50);
        if (config.features().denseDim() == 0) {
            return plain;
        }
        SplittableRandom random = new SplittableRandom(1);
        float[] dense = new float[plain.totalEvents() * config.features().denseDim()];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = (float) random.nextGaussian();
        }
        return PackedBatch.of(
                plain.offsets(),
                plain.items(),
                plain.actions(),
                plain.timestamps(),
                plain.firstTarget(),
                dense,
                config.features().denseDim());
    }

    private static float[] flat(float[][] rows) {
        float[] out = new float[rows.length * D];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * D, D);
        }
        return out;
    }

    /**
     * A store of versions in the old layouts (the fixtures have no manifest, as the offline {@code hstu train} wrote
     * them; the vocabulary under the old streaming name) still resolves to its newest version, which loads.
     */
    @Test
    void versionsInTheOldLayoutsStillResolveAndLoad() throws IOException {
        Path store = tmp.resolve("models");
        for (int v = 0; v < MODELS.size(); v++) {
            Path version = Files.createDirectories(store.resolve(ModelStore.directoryName(v + 1)));
            try (var files = Files.list(resource(MODELS.get(v)))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, version.resolve(file.getFileName().toString()));
                }
            }
            ItemVocabulary vocabulary = new ItemVocabulary(50); // the fixtures' itemCapacity
            vocabulary.indexOrAssign(42);
            vocabulary.save(version.resolve(ModelFiles.LEGACY_VOCABULARY));
        }
        Path newest = store.resolve("v-00000002");

        assertThat(ModelStore.resolve(resource("plain"))).isEqualTo(resource("plain"));
        assertThat(ModelStore.resolve(store)).isEqualTo(newest);
        assertThat(new ModelStore(store).nextVersion()).isEqualTo(3);
        assertThat(ModelFiles.vocabulary(newest)).isEqualTo(newest.resolve("items.u64bin"));
        assertThat(ItemVocabulary.load(ModelFiles.vocabulary(newest)).indexOf(42))
                .isEqualTo(ItemVocabulary.FIRST_ITEM);
        try (HstuModel model = HstuModel.load(ModelStore.resolve(store))) {
            model.save(tmp.resolve("resaved"));
        }
        assertThat(Files.mismatch(
                        tmp.resolve("resaved").resolve(ModelFiles.PARAMETERS), newest.resolve(ModelFiles.PARAMETERS)))
                .isEqualTo(-1L);
    }

    private static Path resource(String name) {
        try {
            return Path.of(LegacyModelCompatibilityTest.class
                    .getResource("/legacy-models/" + name)
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
