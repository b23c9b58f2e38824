package dev.hstu.jobs.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.ctr.io.EventLogSink;
import dev.hstu.ctr.io.EventLogs;
import dev.hstu.formats.io.InputReject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A historical event log made ready for replay: the seed's {@code seq.jsonl} (one user per line) read once, its
 * events sorted by event time across users (ties in file order), and written as fixed-width little-endian records
 * {@code (user u64, item u64, action i32, timestampMs i64)} so that the replay source can read event {@code i} by
 * position, from a memory map, without holding the log on the heap.
 *
 * <p>The users' {@code user_feat} objects (per user the last in file order, from profile rows and events) go to a JSON-lines
 * side file, {@code {"user_id": id, "user_feat": {...}}}, which the replay attaches to each user's first event.
 *
 * @param file         the sorted record file
 * @param source       the log it was made from
 * @param events       records in the file
 * @param firstEventMs event time of the first record (0 when empty)
 * @param lastEventMs  event time of the last record (0 when empty)
 * @param userFeatures the side file of user features; null when the log has none
 */
public record ReplayLog(Path file, Path source, long events, long firstEventMs, long lastEventMs, Path userFeatures) {

    /** Bytes per record. */
    public static final int RECORD_BYTES = 8 + 8 + 4 + 8;
    /** The record file's name inside the work directory. */
    public static final String FILE_NAME = "replay-events.bin";
    /** The user-feature side file's name inside the work directory. */
    public static final String USER_FEATURES_FILE = "replay-user-features.jsonl";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Maps the ids a log is written in to the ids the jobs use, e.g. the seed's re-indexed ids back to the original
     * user and creative ids through its {@code indexer.json}.
     */
    public interface IdMapping {
        /** Ids as written. */
        IdMapping IDENTITY = new IdMapping() {
            @Override
            public long user(long id) {
                return id;
            }

            @Override
            public long item(long id) {
                return id;
            }
        };

        /** @throws IllegalArgumentException naming the id when it has no mapping */
        long user(long id);

        /** @throws IllegalArgumentException naming the id when it has no mapping */
        long item(long id);
    }

    /** {@link #prepare(Path, Path, Consumer, IdMapping)} with the ids as written. */
    public static ReplayLog prepare(Path seqJsonl, Path workDir, Consumer<InputReject> rejects) throws IOException {
        return prepare(seqJsonl, workDir, rejects, IdMapping.IDENTITY);
    }

    /**
     * Reads {@code seqJsonl}, sorts its events by time and writes the record file into {@code workDir} (under a
     * temporary name, renamed when complete, so a replay never reads a half-written file).
     *
     * @param rejects receives every line or record that is not a valid event, with the reason; none is dropped
     *                silently and none stops the preparation
     * @param ids     maps the log's ids; an event or profile whose id has no mapping is rejected with the reason
     */
    public static ReplayLog prepare(Path seqJsonl, Path workDir, Consumer<InputReject> rejects, IdMapping ids)
            throws IOException {
        if (!Files.isRegularFile(seqJsonl)) {
            throw new IllegalArgumentException("replay input not found: " + seqJsonl.toAbsolutePath());
        }
        Events events = new Events();
        Map<Long, String> userFeatures = new LinkedHashMap<>();
        EventLogs.readSeqJsonl(seqJsonl, new EventLogSink() {
            @Override
            public void event(long line, CtrEvent event) {
                try {
                    events.add(new CtrEvent(
                            ids.user(event.userId()), ids.item(event.itemId()), event.action(), event.timestampMs()));
                } catch (IllegalArgumentException e) {
                    rejects.accept(InputReject.of(seqJsonl, line, e.getMessage(), event.toString()));
                }
            }

            @Override
            public void userFeatures(long line, long user, JsonNode features) {
                try {
                    userFeatures.put(ids.user(user), features.toString());
                } catch (IllegalArgumentException e) {
                    rejects.accept(InputReject.of(seqJsonl, line, e.getMessage(), features.toString()));
                }
            }

            @Override
            public void reject(InputReject reject) {
                rejects.accept(reject);
            }
        });
        Integer[] order = events.timeOrder();
        Files.createDirectories(workDir);
        Path file = workDir.resolve(FILE_NAME);
        Path partial = workDir.resolve(FILE_NAME + ".inprogress");
        try (FileChannel out = FileChannel.open(
                partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES * 4096).order(ByteOrder.LITTLE_ENDIAN);
            for (Integer i : order) {
                if (buf.remaining() < RECORD_BYTES) {
                    drain(buf, out);
                }
                buf.putLong(events.users[i])
                        .putLong(events.items[i])
                        .putInt(events.actions[i])
                        .putLong(events.timestampsMs[i]);
            }
            drain(buf, out);
            out.force(true);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        long first = order.length == 0 ? 0 : events.timestampsMs[order[0]];
        long last = order.length == 0 ? 0 : events.timestampsMs[order[order.length - 1]];
        return new ReplayLog(file, seqJsonl, order.length, first, last, writeUserFeatures(userFeatures, workDir));
    }

    private static Path writeUserFeatures(Map<Long, String> userFeatures, Path workDir) throws IOException {
        Path file = workDir.resolve(USER_FEATURES_FILE);
        if (userFeatures.isEmpty()) {
            Files.deleteIfExists(file);
            return null;
        }
        Path partial = workDir.resolve(USER_FEATURES_FILE + ".inprogress");
        try (BufferedWriter out = Files.newBufferedWriter(partial)) {
            for (Map.Entry<Long, String> e : userFeatures.entrySet()) {
                out.write(
                        "{\"user_id\":" + Long.toUnsignedString(e.getKey()) + ",\"user_feat\":" + e.getValue() + "}\n");
            }
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /**
     * Reads a side file written by {@link #prepare}.
     *
     * @return user id to its {@code user_feat} object as JSON text
     */
    public static Map<Long, String> readUserFeatures(Path file) throws IOException {
        Map<Long, String> features = new HashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode node = JSON.readTree(line);
                features.put(
                        Long.parseUnsignedLong(node.get("user_id").asText()),
                        node.get("user_feat").toString());
            }
        }
        return features;
    }

    private static void drain(ByteBuffer buf, FileChannel out) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    /** Read access to a record file, by position. */
    public static final class Reader implements AutoCloseable {
        private final FileChannel channel;
        private final MappedByteBuffer map;
        private final long events;

        public Reader(Path file) {
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ);
                long size = channel.size();
                if (size % RECORD_BYTES != 0 || size > Integer.MAX_VALUE) {
                    channel.close();
                    throw new IllegalArgumentException(file + " is not a replay record file (" + size + " bytes)");
                }
                map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
                map.order(ByteOrder.LITTLE_ENDIAN);
                events = size / RECORD_BYTES;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open replay records " + file, e);
            }
        }

        public long events() {
            return events;
        }

        public long user(long i) {
            return map.getLong(offset(i));
        }

        public long item(long i) {
            return map.getLong(offset(i) + 8);
        }

        public int action(long i) {
            return map.getInt(offset(i) + 16);
        }

        public long timestampMs(long i) {
            return map.getLong(offset(i) + 20);
        }

        private int offset(long i) {
            if (i < 0 || i >= events) {
                throw new IndexOutOfBoundsException("replay record " + i + " of " + events);
            }
            return (int) (i * RECORD_BYTES);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Growable primitive columns: a log of millions of events costs 28 bytes per event, not an object each. */
    private static final class Events {
        long[] users = new long[1024];
        long[] items = new long[1024];
        int[] actions = new int[1024];
        long[] timestampsMs = new long[1024];
        int size;

        void add(CtrEvent e) {
            if (size == users.length) {
                int capacity = size * 2;
                users = Arrays.copyOf(users, capacity);
                items = Arrays.copyOf(items, capacity);
                actions = Arrays.copyOf(actions, capacity);
                timestampsMs = Arrays.copyOf(timestampsMs, capacity);
            }
            users[size] = e.userId();
            items[size] = e.itemId();
            actions[size] = e.action();
            timestampsMs[size] = e.timestampMs();
            size++;
        }

        /** Indices in event-time order; the sort is stable, so equal times keep their file order. */
        Integer[] timeOrder() {
            Integer[] order = new Integer[size];
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Long.compare(timestampsMs[a], timestampsMs[b]));
            return order;
        }
    }
}
