package dev.hstu.ctr.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hstu.ctr.CtrEvent;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.movielens.MovieLensRatings;
import dev.hstu.formats.seq.SeqJsonl;
import java.io.IOException;
import java.nio.file.Path;

/**
 * An event log read as CTR events, by the readers of {@code dev.hstu.formats}: their interactions become {@link
 * CtrEvent}s (timestamps in milliseconds), their rejects go to the sink, which decides whether to stop.
 */
public final class EventLogs {

    private EventLogs() {}

    /**
     * @param file the log
     * @param format its format
     * @param actions what a MovieLens rating means as an action (unused for seq.jsonl, whose records carry theirs)
     * @param sink receives events, rejects, profile rows and user features in file order
     * @throws IOException when the file cannot be read or is not of the format at all
     */
    public static void read(Path file, EventLogFormat format, MovieLensActions actions, EventLogSink sink)
            throws IOException {
        switch (format) {
            case CSV -> readMovieLens(file, actions, sink);
            case SEQ_JSONL -> readSeqJsonl(file, sink);
        }
    }

    /**
     * @param csv a MovieLens {@code ratings.csv}
     * @param actions what a rating means as an action
     * @param sink receives events and rejects in file order
     * @throws IOException when the file cannot be read or lacks the header
     */
    public static void readMovieLens(Path csv, MovieLensActions actions, EventLogSink sink) throws IOException {
        MovieLensRatings.read(csv, new MovieLensRatings.Handler() {
            @Override
            public void rating(long line, MovieLensRatings.Rating r) {
                sink.event(
                        line,
                        new CtrEvent(r.user(), r.movie(), actions.action(r.stars()), r.timestampSeconds() * 1000));
            }

            @Override
            public void reject(InputReject reject) {
                sink.reject(reject);
            }
        });
    }

    /**
     * @param file a seed {@code seq.jsonl}
     * @param sink receives events, rejects, profile rows and user features in file order
     * @throws IOException when the file cannot be read
     */
    public static void readSeqJsonl(Path file, EventLogSink sink) throws IOException {
        SeqJsonl.read(file, new SeqJsonl.Handler() {
            @Override
            public void interaction(long line, SeqJsonl.Interaction e) {
                sink.event(line, new CtrEvent(e.user(), e.item(), e.action(), e.timestampSeconds() * 1000));
            }

            @Override
            public void reject(InputReject reject) {
                sink.reject(reject);
            }

            @Override
            public void profileRow(long line) {
                sink.profileRow(line);
            }

            @Override
            public void userFeatures(long line, long user, JsonNode userFeatures) {
                sink.userFeatures(line, user, userFeatures);
            }
        });
    }
}
