package dev.hstu.ctr.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/** Keyed operator harnesses on the real RocksDB state backend. */
final class RocksDbHarness {
    private RocksDbHarness() {}

    /** An opened harness, restored from {@code restoreFrom} unless it is null. */
    static <K, I, O> KeyedOneInputStreamOperatorTestHarness<K, I, O> open(
            KeyedProcessFunction<K, I, O> function,
            KeySelector<I, K> keys,
            TypeInformation<K> keyType,
            OperatorSubtaskState restoreFrom)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, I, O> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(function), keys, keyType);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
