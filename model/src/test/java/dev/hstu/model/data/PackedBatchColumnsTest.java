package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.hstu.model.TestBatches;
import dev.hstu.model.data.FeatureColumn.ElementType;
import dev.hstu.model.data.FeatureColumn.Scope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batches carry their inputs as named columns, and the padded tensors keep the names. */
class PackedBatchColumnsTest {

    private static final FeatureColumn PRICE = FeatureColumn.event("price", ElementType.FLOAT, 2);
    private static final FeatureColumn SEGMENT = FeatureColumn.sequence("segment", ElementType.INT, 1);

    @Test
    void everyFieldIsAColumnFoundByName() {
        PackedBatch batch = PackedBatch.builder(1, 2)
                .addEvent(2, 1, 10, new float[] {0.5f}, 0)
                .addEvent(3, 0, 20, new float[] {1.5f}, 0)
                .endSequence(0, new long[] {7, 0}, 0)
                .build();
        assertThat(batch.columns())
                .extracting(ColumnValues::name)
                .containsExactly("items", "actions", "timestamps", "dense", "userFeatures");
        assertThat(batch.column(FeatureColumn.ITEMS).ints()).containsExactly(2, 3);
        assertThat(batch.column(FeatureColumn.TIMESTAMPS).longs()).containsExactly(10, 20);
        assertThat(batch.column(FeatureColumn.DENSE).column()).isEqualTo(FeatureColumn.dense(1));
        assertThat(batch.column(FeatureColumn.USER_FEATURES).column().scope()).isEqualTo(Scope.SEQUENCE);
        assertThat(batch.column("price")).isNull();
    }

    @Test
    void aNewColumnNeedsNoNewFieldAndRowsNotSetAreZero() {
        PackedBatch.Builder builder = PackedBatch.builder(List.of(PRICE, SEGMENT));
        builder.addEvent(2, 0, 1)
                .set("price", new float[] {9f, 1f, 2f}, 1)
                .set("segment", new int[] {4}, 0)
                .addEvent(3, 0, 2)
                .endSequence(0)
                .addEvent(4, 0, 3)
                .endSequence(0);
        PackedBatch batch = builder.build();
        assertThat(batch.column("price").floats()).containsExactly(1f, 2f, 0f, 0f, 0f, 0f);
        assertThat(batch.column("segment").ints()).containsExactly(4, 0);

        PackedBatch again = builder.reset().addEvent(5, 0, 1).endSequence(0).build();
        assertThat(again.column("price").floats()).as("a reused row is cleared").containsExactly(0f, 0f);
        assertThat(again.column("segment").ints()).containsExactly(0);

        assertThatThrownBy(() -> PackedBatch.builder(List.of(PRICE))
                        .addEvent(2, 0, 1)
                        .set("price", new float[] {Float.NaN, 0f}, 0))
                .hasMessageContaining("price value 0 must be finite");
        assertThatThrownBy(() ->
                        PackedBatch.builder(List.of(PRICE)).addEvent(2, 0, 1).set("price", new int[2], 0))
                .hasMessageContaining("takes FLOAT values");
        assertThatThrownBy(() -> PackedBatch.builder(List.of(PRICE)).set("price", new float[2], 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> PackedBatch.builder().addEvent(2, 0, 1).set("price", new float[2], 0))
                .hasMessageContaining("no column price");
        assertThatThrownBy(() -> PackedBatch.builder(List.of(PRICE, PRICE))).hasMessageContaining("twice");
    }

    @Test
    void withColumnChecksTheShapeAndKeepsTheEventColumns() {
        PackedBatch plain = PackedBatch.builder()
                .addEvent(2, 0, 1)
                .addEvent(3, 0, 2)
                .endSequence(0)
                .build();
        PackedBatch priced = plain.withColumn(ColumnValues.of(PRICE, new float[] {1, 2, 3, 4}));
        assertThat(priced.column("price").floats()).containsExactly(1, 2, 3, 4);
        assertThat(priced.items()).isSameAs(plain.items());
        assertThatThrownBy(() -> plain.withColumn(ColumnValues.of(PRICE, new float[3])))
                .hasMessageContaining("must hold 4 values for 2 events and 1 sequences, got 3");
        assertThatThrownBy(() -> plain.withColumn(ColumnValues.of(FeatureColumn.ITEM_COLUMN, new int[2])))
                .hasMessageContaining("set by PackedBatch.of");
        assertThatThrownBy(() -> ColumnValues.of(PRICE, new long[2])).hasMessageContaining("holds FLOAT");
        assertThatThrownBy(() -> FeatureColumn.event("a b", ElementType.INT, 1)).hasMessageContaining("column name");
        assertThatThrownBy(() -> FeatureColumn.event("a", ElementType.INT, 0)).hasMessageContaining("width >= 1");
    }

    @Test
    void paddedTensorsAreNamedAfterTheirColumnsAndReadBackByName() {
        PackedBatch batch = PackedBatch.builder(3)
                .addEvent(2, 1, 10, new float[] {1, 2, 3}, 0)
                .addEvent(3, 0, 20, new float[] {4, 5, 6}, 0)
                .endSequence(0)
                .addEvent(4, 0, 30, new float[] {7, 8, 9}, 0)
                .endSequence(0)
                .build();
        var config = TestBatches.tiny().with("features.denseDim", 3).validate();
        try (NDManager manager = NDManager.newBaseManager()) {
            PaddedSequences padded = PaddedSequences.of(batch, config, manager);
            NDList list = padded.toNDList();
            assertThat(list)
                    .extracting(a -> a.getName())
                    .containsExactly("items", "actions", "timestamps", "lengths", "hourOfWeek", "dense");
            assertThat(padded.get("dense").getShape()).isEqualTo(new Shape(2, 2, 3));
            assertThat(padded.get("dense").toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0);

            // order does not matter to the reader, names do
            NDList reversed = new NDList();
            for (int i = list.size() - 1; i >= 0; i--) {
                reversed.add(list.get(i));
            }
            PaddedSequences back = PaddedSequences.fromNDList(reversed);
            assertThat(back.maxLength()).isEqualTo(2);
            assertThat(back.denseFeatures().toFloatArray())
                    .containsExactly(padded.denseFeatures().toFloatArray());
            assertThat(back.items().toLongArray()).containsExactly(2, 3, 4, 0);

            NDList unnamed = new NDList(manager.create(new long[] {1}));
            assertThatThrownBy(() -> PaddedSequences.fromNDList(unnamed)).hasMessageContaining("by name");
            assertThatThrownBy(() -> new PaddedSequences(Map.of("items", padded.items()), 2))
                    .hasMessageContaining("need the actions input");
        }
    }
}
