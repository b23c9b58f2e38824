package dev.hstu.jobs.replay;

import dev.hstu.jobs.demo.RatingsLog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts a MovieLens ratings CSV into the seed's {@code seq.jsonl}: one line per user, in order of the user's
 * first rating, holding the user's interactions in time order as records
 * {@code [user_id, item_id, null, {"rating": r}, action, timestamp_seconds]}, where the action is 1 (click) for a
 * rating at or above {@code clickRating} and 0 otherwise. It lets the bundled data be replayed like the seeds'.
 */
public final class MovieLensSeqJsonl {

    private MovieLensSeqJsonl() {}

    /** @return the number of interactions written */
    public static long convert(Path ratingsCsv, Path seqJsonl, double clickRating) throws IOException {
        RatingsLog log = RatingsLog.read(ratingsCsv);
        Map<Long, List<Integer>> rowsByUser = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            rowsByUser.computeIfAbsent(log.users[i], u -> new ArrayList<>()).add(i);
        }
        if (seqJsonl.getParent() != null) {
            Files.createDirectories(seqJsonl.getParent());
        }
        try (BufferedWriter out = Files.newBufferedWriter(seqJsonl, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(4096);
            for (Map.Entry<Long, List<Integer>> user : rowsByUser.entrySet()) {
                line.setLength(0);
                line.append('[');
                for (int r = 0; r < user.getValue().size(); r++) {
                    int i = user.getValue().get(r);
                    line.append(r == 0 ? "" : ",").append('[').append(user.getKey()).append(',').append(log.items[i])
                            .append(",null,{\"rating\":").append(log.ratings[i]).append("},")
                            .append(log.ratings[i] >= clickRating ? 1 : 0).append(',')
                            .append(Math.floorDiv(log.timestampsMs[i], 1000L)).append(']');
                }
                out.append(line).append("]\n");
            }
        }
        return log.size();
    }
}
