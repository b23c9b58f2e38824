package dev.hstu.formats.movielens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hstu.formats.fuzz.Allocation;
import dev.hstu.formats.fuzz.Mutations;
import dev.hstu.formats.io.InputReject;
import dev.hstu.formats.io.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MovieLens readers over random and mutated files: a file is refused whole only for its header, with an {@link
 * InvalidInputException} naming line 1; every other bad line reaches the handler as an {@link InputReject}; nothing
 * else is thrown, and reading allocates no more than a multiple of the file's size.
 */
class MovieLensFuzzTest {

    private static final String RATINGS = MovieLensRatings.HEADER
            + "\n1,10,4.0,964982703\r\n1,11,3.5,964982704\n\n18446744073709551615,15,0.5,1\n2,12,5,0\n";
    private static final String MOVIES = MovieLensMovies.HEADER
            + "\n1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
            + "11,\"American President, The (1995)\",Comedy|Drama|Romance\n"
            + "12,\"Dracula: Dead and Loving It (1995)\",Comedy|Horror\n"
            + "15,\"Say \"\"Hi\"\" (2001)\",(no genres listed)\n";

    private static final MovieLensMovies.Handler IGNORE = new MovieLensMovies.Handler() {
        @Override
        public void movie(long line, MovieLensMovies.Movie movie) {}

        @Override
        public void reject(InputReject reject) {}
    };

    @TempDir
    Path dir;

    @Provide
    Arbitrary<byte[]> mutatedRatings() {
        return Mutations.of(RATINGS.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<byte[]> mutatedMovies() {
        return Mutations.of(MOVIES.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 1000)
    void randomBytesAreRefusedOrRejectedByLine(@ForAll @Size(max = 512) byte[] bytes) throws Exception {
        readRatings(bytes);
        readMovies(bytes);
    }

    @Property(tries = 1500)
    void mutatedRatingsAreReadOrRejectedByLine(@ForAll("mutatedRatings") byte[] bytes) throws Exception {
        readRatings(bytes);
    }

    @Property(tries = 1500)
    void mutatedMoviesAreReadOrRejectedByLine(@ForAll("mutatedMovies") byte[] bytes) throws Exception {
        readMovies(bytes);
    }

    private static void readRatings(byte[] bytes) throws Exception {
        List<InputReject> rejects = new ArrayList<>();
        read(
                bytes,
                rejects,
                file -> MovieLensRatings.read(file, new MovieLensRatings.Handler() {
                    @Override
                    public void rating(long line, MovieLensRatings.Rating rating) {
                        assertThat(rating.stars()).isBetween(0.0, 5.0);
                        assertThat(rating.timestampSeconds()).isNotNegative();
                    }

                    @Override
                    public void reject(InputReject reject) {
                        rejects.add(reject);
                    }
                }));
    }

    private static void readMovies(byte[] bytes) throws Exception {
        List<InputReject> rejects = new ArrayList<>();
        read(
                bytes,
                rejects,
                file -> MovieLensMovies.read(file, new MovieLensMovies.Handler() {
                    @Override
                    public void movie(long line, MovieLensMovies.Movie movie) {
                        assertThat(movie.genres() >>> MovieLensMovies.GENRES.size())
                                .isZero();
                        movie.year();
                    }

                    @Override
                    public void reject(InputReject reject) {
                        rejects.add(reject);
                    }
                }));
    }

    private interface Reader {
        void read(Path file) throws IOException;
    }

    private static void read(byte[] bytes, List<InputReject> rejects, Reader reader) throws Exception {
        Path file = Files.createTempFile("movielens-fuzz", ".csv");
        try {
            Files.write(file, bytes);
            long allocated = Allocation.of(() -> {
                try {
                    reader.read(file);
                } catch (InvalidInputException refused) {
                    assertThat(refused.reject().where()).isEqualTo(file + ":1");
                    assertThat(rejects).isEmpty();
                }
            });
            for (InputReject r : rejects) {
                assertThat(r.file()).isEqualTo(file);
                assertThat(r.line()).isBetween(2L, bytes.length + 1L);
                assertThat(r.reason()).isNotBlank();
            }
            assertThat(allocated).isLessThanOrEqualTo((1 << 20) + 64L * bytes.length);
        } finally {
            Files.delete(file);
        }
    }

    // Found by the fuzzing: a byte that is not UTF-8 ended the read with a MalformedInputException naming no line.
    @Test
    void aLineThatIsNotUtf8IsRejectedWithItsNumber() throws IOException {
        Path csv = dir.resolve("ratings.csv");
        byte[] head = (MovieLensRatings.HEADER + "\n1,10,4.0,1\n1,").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 2];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xff;
        bytes[head.length + 1] = '\n';
        Files.write(csv, bytes);
        List<InputReject> rejects = new ArrayList<>();
        List<MovieLensRatings.Rating> ratings = new ArrayList<>();
        MovieLensRatings.read(csv, new MovieLensRatings.Handler() {
            @Override
            public void rating(long line, MovieLensRatings.Rating rating) {
                ratings.add(rating);
            }

            @Override
            public void reject(InputReject reject) {
                rejects.add(reject);
            }
        });
        assertThat(ratings).hasSize(1);
        assertThat(rejects).extracting(InputReject::toString).containsExactly(csv + ":3: the line is not UTF-8");
    }

    // The header refusal is the typed one, naming line 1 and showing the line cut short, whatever its length.
    @Test
    void aWrongHeaderIsATypedRefusalOfLineOne() throws IOException {
        Path csv = dir.resolve("movies.csv");
        Files.writeString(csv, "x".repeat(10_000) + "\n1,A,Drama\n");
        assertThatThrownBy(() -> MovieLensMovies.read(csv, IGNORE))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(csv + ":1: first line must be 'movieId,title,genres', got 'xxx")
                .hasMessageEndingWith("...'");
        Files.write(csv, new byte[0]);
        assertThatThrownBy(() -> MovieLensMovies.read(csv, IGNORE)).hasMessageEndingWith("got an empty file");
    }
}
