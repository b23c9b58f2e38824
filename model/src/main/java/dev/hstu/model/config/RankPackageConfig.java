package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Per target, extra negatives drawn from the user's own history before the target: items the user saw but did not
 * pick next are hard negatives.
 */
@JsonDeserialize(using = SectionDeserializer.class)
public record RankPackageConfig(
        @Doc("negatives per target in the categories [cold click, hot click, cold exposure, hot exposure, random]")
        List<Integer> counts,

        @Doc("an item is hot when among the most frequent recent targets (task.popularityWindow) that together make"
                + " up this share of them")
        float hotShare) {

    /** Categories of {@link #counts()}, in its order. */
    public static final int CATEGORIES = 5;

    private static final RankPackageConfig DEFAULTS = new RankPackageConfig(List.of(1, 1, 1, 1, 1), 0.5f);

    /** Copies the counts so that a config stays immutable and comparable by value. */
    public RankPackageConfig {
        // not List.copyOf: a null element must reach check() and its message
        counts = counts == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(counts));
    }

    /** @return one negative of each category, hot = the top half of recent targets */
    public static RankPackageConfig defaults() {
        return DEFAULTS;
    }

    /** @return negatives of each target's package: the sum of the counts */
    public int size() {
        int sum = 0;
        for (Integer n : counts) {
            sum += n == null ? 0 : n;
        }
        return sum;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        String key = "task.rankPackage.counts";
        Checks.require(
                problems,
                counts.size() == CATEGORIES,
                key,
                "must hold 5 counts [coldClick, hotClick, coldExposure, hotExposure, random]",
                counts);
        Checks.require(problems, counts.stream().allMatch(n -> n != null && n >= 0), key, "must all be >= 0", counts);
        Checks.require(
                problems, size() >= 1, key, "must not all be 0 (leave task.rankPackage out to turn it off)", counts);
        Checks.require(
                problems, hotShare > 0f && hotShare <= 1f, "task.rankPackage.hotShare", "must be in (0, 1]", hotShare);
    }
}
