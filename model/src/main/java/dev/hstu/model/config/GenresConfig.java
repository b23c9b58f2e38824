package dev.hstu.model.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/** The genres of each event's item, a bitmask per event; their mean embedding is added to the event. */
@JsonDeserialize(using = SectionDeserializer.class)
public record GenresConfig(
        @Doc("genres, the bits of the genres column and the rows of the genre table (19: MovieLens's genres)")
        int count) {

    private static final GenresConfig DEFAULTS = new GenresConfig(19);

    /** @return MovieLens's 19 genres */
    public static GenresConfig defaults() {
        return DEFAULTS;
    }

    /** @param problems where each invalid setting is reported */
    public void check(List<String> problems) {
        Checks.require(
                problems,
                count >= 1 && count <= 31,
                "features.genres.count",
                "must be in [1, 31] (an int bitmask)",
                count);
    }
}
