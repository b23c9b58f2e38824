package dev.hstu.jobs.replay;

import dev.hstu.formats.movielens.MovieLensActions;
import dev.hstu.formats.seed.PredictCandidate;
import dev.hstu.formats.seed.SeedDataDirectory;
import dev.hstu.formats.seed.SeedIndexer;
import dev.hstu.formats.seq.SeqJsonl;
import dev.hstu.jobs.demo.RatingsLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a MovieLens ratings CSV in the seed's formats (their writers in {@code dev.hstu.formats}), so the bundled data can be replayed and predicted like the
 * seeds' data. A user's line holds their interactions in time order as records
 * {@code [user_id, item_id, null, null, action, timestamp_seconds]}, the action as the caller's {@link
 * MovieLensActions} maps the rating.
 */
public final class MovieLensSeqJsonl {

    /**
     * @param users      users written
     * @param items      items (creatives) in the index and the candidate set
     * @param events     interactions in {@code seq.jsonl}
     * @param heldOut    held-out interactions in {@link SeedDataDirectory#HELD_OUT}
     */
    public record SeedDirectory(int users, int items, long events, int heldOut) {}

    private MovieLensSeqJsonl() {}

    /**
     * Every rating, ids as in the CSV, into one {@code seq.jsonl}.
     *
     * @return the number of interactions written
     */
    public static long convert(Path ratingsCsv, Path seqJsonl, MovieLensActions actions) throws IOException {
        RatingsLog log = RatingsLog.read(ratingsCsv);
        if (seqJsonl.getParent() != null) {
            Files.createDirectories(seqJsonl.getParent());
        }
        writeLines(log, seqJsonl, actions, false, null, null);
        return log.size();
    }

    /**
     * A whole seed directory, with each user's last rating held out as the demo holds it out: {@code indexer.json}
     * (users and movies re-indexed from 1 in order of first rating), {@code seq.jsonl} and {@code predict_seq.jsonl}
     * (the histories without the held-out ratings, re-indexed ids), {@code predict_set.jsonl} (every rated movie as
     * a candidate, {@code creative_id} the movie id, {@code retrieval_id} its index) and {@link SeedDataDirectory#HELD_OUT}.
     */
    public static SeedDirectory writeSeedDirectory(Path ratingsCsv, Path dir, MovieLensActions actions)
            throws IOException {
        RatingsLog log = RatingsLog.read(ratingsCsv);
        Files.createDirectories(dir);
        Map<Long, Long> userReid = new LinkedHashMap<>();
        Map<Long, Long> itemReid = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            userReid.putIfAbsent(log.users[i], (long) userReid.size() + 1);
            itemReid.putIfAbsent(log.items[i], (long) itemReid.size() + 1);
        }
        Map<Long, Long> users = new LinkedHashMap<>();
        userReid.forEach((id, reid) -> users.put(reid, id));
        Map<Long, Long> items = new LinkedHashMap<>();
        itemReid.forEach((id, reid) -> items.put(reid, id));
        SeedIndexer.of(users, items).write(dir.resolve(SeedDataDirectory.INDEXER));
        long events = writeLines(log, dir.resolve(SeedDataDirectory.SEQ), actions, true, userReid, itemReid);
        writeLines(log, dir.resolve(SeedDataDirectory.PREDICT_SEQ), actions, true, userReid, itemReid);
        List<PredictCandidate> candidates = new ArrayList<>();
        itemReid.forEach((id, reid) -> candidates.add(new PredictCandidate(id, reid)));
        SeedDataDirectory.writeCandidates(dir.resolve(SeedDataDirectory.PREDICT_SET), candidates);
        Map<Long, Long> heldOut = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.heldOut[i]) {
                heldOut.put(log.users[i], log.items[i]);
            }
        }
        SeedDataDirectory.writeHeldOut(dir.resolve(SeedDataDirectory.HELD_OUT), heldOut);
        return new SeedDirectory(userReid.size(), itemReid.size(), events, heldOut.size());
    }

    /** One line per user, users in order of first rating, each user's ratings in time order. */
    private static long writeLines(
            RatingsLog log,
            Path file,
            MovieLensActions actions,
            boolean withoutHeldOut,
            Map<Long, Long> userReid,
            Map<Long, Long> itemReid)
            throws IOException {
        Map<Long, List<Integer>> rowsByUser = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            if (!(withoutHeldOut && log.heldOut[i])) {
                rowsByUser.computeIfAbsent(log.users[i], u -> new ArrayList<>()).add(i);
            }
        }
        List<List<SeqJsonl.Interaction>> lines = new ArrayList<>(rowsByUser.size());
        for (Map.Entry<Long, List<Integer>> user : rowsByUser.entrySet()) {
            long userId = userReid == null ? user.getKey() : userReid.get(user.getKey());
            List<SeqJsonl.Interaction> line = new ArrayList<>(user.getValue().size());
            for (int i : user.getValue()) {
                long item = itemReid == null ? log.items[i] : itemReid.get(log.items[i]);
                line.add(new SeqJsonl.Interaction(
                        userId, item, actions.action(log.ratings[i]), Math.floorDiv(log.timestampsMs[i], 1000L)));
            }
            lines.add(line);
        }
        return SeqJsonl.write(file, lines);
    }
}
