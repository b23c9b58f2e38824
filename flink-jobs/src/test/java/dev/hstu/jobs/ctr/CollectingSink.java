package dev.hstu.jobs.ctr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Collects a job's output in JVM-static queues (the MiniCluster runs in the test's JVM). Not
 * transactional: after a failover the records since the last checkpoint arrive again, so readers
 * take the last record per key.
 */
final class CollectingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<Object>> QUEUES = new ConcurrentHashMap<>();
    private final String name;

    private CollectingSink(String name) {
        this.name = name;
    }

    /** A sink writing to the (cleared) queue of this name. */
    static <T> CollectingSink<T> named(String name) {
        QUEUES.put(name, new ConcurrentLinkedQueue<>());
        return new CollectingSink<>(name);
    }

    /** What the sink of this name received, in arrival order. */
    @SuppressWarnings("unchecked")
    static <T> List<T> received(String name) {
        List<T> out = new ArrayList<>();
        for (Object o : QUEUES.get(name)) {
            out.add((T) o);
        }
        return out;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        ConcurrentLinkedQueue<Object> queue = QUEUES.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) {
                queue.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
