package dev.hstu.formats.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.io.InputReject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensRatingsTest {
    @TempDir
    Path dir;

    private final List<MovieLensRatings.Rating> ratings = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private final MovieLensRatings.Handler handler = new MovieLensRatings.Handler() {
        @Override
        public void rating(long line, MovieLensRatings.Rating rating) {
            ratings.add(rating);
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject);
        }
    };

    @Test
    void ratingsKeepTheirStarsAndBadRowsAreNamed() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(
                csv,
                String.join(
                        "\n",
                        "userId,movieId,rating,timestamp",
                        "1,10,4.0,964982703",
                        "1,11,3.5,964982704",
                        "2,10,NaN,964982705",
                        "2,12,-1,964982706",
                        "2,13,5,abc",
                        "x,13,5,1",
                        "3,14,4.5",
                        "",
                        "18446744073709551615,15,4.5,1",
                        "4,16,5.5,1"));
        MovieLensRatings.read(csv, handler);
        assertThat(ratings)
                .containsExactly(
                        new MovieLensRatings.Rating(1, 10, 4.0, 964_982_703L),
                        new MovieLensRatings.Rating(1, 11, 3.5, 964_982_704L),
                        new MovieLensRatings.Rating(-1L, 15, 4.5, 1));
        assertThat(rejects.stream().map(r -> "line " + r.line() + ": " + r.reason()))
                .containsExactly(
                        "line 4: rating=NaN must be a finite number in [0, 5]",
                        "line 5: rating=-1 must be a finite number in [0, 5]",
                        "line 6: timestamp='abc' is not an integer",
                        "line 7: userId='x' is not an unsigned integer",
                        "line 8: expected 4 fields, got 3",
                        "line 11: rating=5.5 must be a finite number in [0, 5]");
        assertThat(rejects.get(2).toString()).isEqualTo(csv + ":6: timestamp='abc' is not an integer");
    }

    /** Found by the fuzz test: "-0" parsed as negative zero, which sorts below 0 stars. */
    @Test
    void negativeZeroIsZeroStars() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        Files.writeString(csv, "userId,movieId,rating,timestamp\n1,10,-0.0,964982703\n");
        MovieLensRatings.read(csv, handler);
        assertThat(rejects).isEmpty();
        assertThat(Double.compare(ratings.get(0).stars(), 0.0)).isZero();
    }

    @Test
    void aFileWithoutTheHeaderIsRefused() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "1,10,4.0,964982703\n");
        assertThatThrownBy(() -> MovieLensRatings.read(csv, handler))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("first line must be 'userId,movieId,rating,timestamp'");
    }

    @Test
    void eachActionMappingSaysWhatARatingMeans() {
        MovieLensActions stars = MovieLensActions.wholeStars();
        MovieLensActions clicks = MovieLensActions.clickAtOrAbove(MovieLensActions.DEFAULT_CLICK_RATING);
        assertThat(new int[] {stars.action(0.5), stars.action(1.0), stars.action(4.5), stars.action(5.0)})
                .containsExactly(1, 1, 5, 5);
        assertThat(new int[] {clicks.action(3.5f), clicks.action(4.0f), clicks.action(5.0)})
                .containsExactly(0, 1, 1);
        assertThatThrownBy(() -> MovieLensActions.clickAtOrAbove(Double.NaN)).hasMessageContaining("must be finite");
    }
}
