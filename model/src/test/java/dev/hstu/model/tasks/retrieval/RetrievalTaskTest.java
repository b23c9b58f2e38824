package dev.hstu.model.tasks.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import dev.hstu.model.HstuModel;
import dev.hstu.model.TestBatches;
import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.PaddedSequences;
import dev.hstu.model.tasks.SamplingState;
import dev.hstu.model.tasks.Task;
import dev.hstu.model.train.Autograd;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Retrieval through the task seam: its scores are the cosines of queries and item rows; each training is its own. */
class RetrievalTaskTest {

    @Test
    void scoresAreCosinesOfEachSequencesQueryWithTheItemRows() {
        PackedBatch batch = TestBatches.random(new SplittableRandom(3), new int[] {4, 7}, 12);
        try (HstuModel model = HstuModel.create(TestBatches.tiny())) {
            model.setItemRowsInUse(12);
            assertThat(model.task()).isInstanceOf(RetrievalTask.class);
            assertThat(model.task().block())
                    .as("retrieval has no parameters of its own")
                    .isNull();
            float[] queries = model.encodeQueries(batch);
            float[] items = model.itemEmbeddings();
            int d = model.config().encoder().embeddingDim();
            Autograd.disableOnThisThread();
            try (NDScope ignored = new NDScope()) {
                NDArray encoded = model.forward(PaddedSequences.of(batch, model.config(), model.manager()), false);
                float[] scores = model.task().scores(model, encoded, batch, 12).toFloatArray();
                assertThat(scores).hasSize(2 * 10);
                for (int s = 0; s < 2; s++) {
                    for (int j = 0; j < 10; j++) {
                        float dot = 0;
                        for (int k = 0; k < d; k++) {
                            dot += queries[s * d + k] * items[j * d + k];
                        }
                        assertThat(scores[s * 10 + j]).isCloseTo(dot, within(1e-5f));
                    }
                }
            }
        }
    }

    @Test
    void eachTrainingKeepsItsOwnSamplingStateAndRestoresASavedOne() {
        RetrievalTask task = new RetrievalTask(
                TestBatches.tiny().with("task.hardNegatives.cacheSize", 8).with("task.hardNegatives.perStep", 2));
        Task.Training first = task.newTraining();
        SamplingState saved = new SamplingState(null, new long[] {5, 6, 7});
        first.restore(saved);
        assertThat(first.state().hardNegatives()).containsExactly(5, 6, 7);
        assertThat(task.newTraining().state().hardNegatives()).isEmpty();
    }
}
