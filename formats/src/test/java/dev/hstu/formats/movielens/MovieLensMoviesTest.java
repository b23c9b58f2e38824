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

class MovieLensMoviesTest {
    @TempDir
    Path dir;

    private final List<MovieLensMovies.Movie> movies = new ArrayList<>();
    private final List<InputReject> rejects = new ArrayList<>();
    private final MovieLensMovies.Handler handler = new MovieLensMovies.Handler() {
        @Override
        public void movie(long line, MovieLensMovies.Movie movie) {
            movies.add(movie);
        }

        @Override
        public void reject(InputReject reject) {
            rejects.add(reject);
        }
    };

    private static int bits(String... genres) {
        int mask = 0;
        for (String g : genres) {
            mask |= 1 << MovieLensMovies.GENRES.indexOf(g);
        }
        return mask;
    }

    @Test
    void moviesKeepTheirGenresAndQuotedTitlesAndBadRowsAreNamed() throws IOException {
        Path csv = dir.resolve("movies.csv");
        Files.writeString(
                csv,
                String.join(
                        "\n",
                        "movieId,title,genres",
                        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy",
                        "11,\"American President, The (1995)\",Comedy|Drama|Romance",
                        "7789,\"11'09\"\"01 - September 11 (2002)\",Drama",
                        "9,Unknown (2010),(no genres listed)",
                        "",
                        "x,Title,Drama",
                        "12,Title,Drama|Cooking",
                        "13,\"Open, quote,Drama",
                        "14,Bare, comma,Drama",
                        "15,Title,Drama|Drama",
                        "16,Title",
                        "17,Title,"));
        MovieLensMovies.read(csv, handler);
        assertThat(movies)
                .containsExactly(
                        new MovieLensMovies.Movie(
                                1, "Toy Story (1995)", bits("Adventure", "Animation", "Children", "Comedy", "Fantasy")),
                        new MovieLensMovies.Movie(
                                11, "American President, The (1995)", bits("Comedy", "Drama", "Romance")),
                        new MovieLensMovies.Movie(7789, "11'09\"01 - September 11 (2002)", bits("Drama")),
                        new MovieLensMovies.Movie(9, "Unknown (2010)", 0));
        assertThat(rejects).extracting(InputReject::line).containsExactly(7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(rejects.get(0).reason()).isEqualTo("movieId='x' is not an unsigned integer");
        assertThat(rejects.get(1).reason()).startsWith("genre 'Cooking' is not one of [Action");
        assertThat(rejects.get(2).reason()).startsWith("quoted title has no closing quote");
        assertThat(rejects.get(3).reason()).startsWith("a title with a comma or a quote must be quoted");
        assertThat(rejects.get(4).reason()).isEqualTo("genre Drama is listed twice");
        assertThat(rejects.get(5).reason()).isEqualTo("expected 3 fields (movieId,title,genres)");
        assertThat(rejects.get(6).reason()).startsWith("genre '' is not one of");
        assertThat(rejects.get(0).toString()).isEqualTo(csv + ":7: movieId='x' is not an unsigned integer");
    }

    @Test
    void theReleaseYearIsTheYearTheTitleEndsWith() {
        assertThat(new MovieLensMovies.Movie(1, "Heat (1995)", 0).year()).hasValue(1995);
        assertThat(new MovieLensMovies.Movie(1, "Heat (1995) ", 0).year()).hasValue(1995);
        assertThat(new MovieLensMovies.Movie(1, "Babylon 5", 0).year()).isEmpty();
        assertThat(new MovieLensMovies.Movie(1, "Death Note: Desu nôto (2006–2007)", 0).year())
                .isEmpty();
        assertThat(new MovieLensMovies.Movie(1, "(19x5)", 0).year()).isEmpty();
        assertThat(new MovieLensMovies.Movie(1, "1995)", 0).year()).isEmpty();
    }

    @Test
    void theBundledFileReadsWithoutRejects() throws IOException {
        MovieLensMovies.read(Path.of("../data/ml-latest-small/movies.csv"), handler);
        assertThat(rejects).isEmpty();
        assertThat(movies).hasSize(9742);
        assertThat(movies).filteredOn(m -> m.genres() == 0).hasSize(34);
    }

    @Test
    void aWrongHeaderIsRefused() throws IOException {
        Path csv = dir.resolve("movies.csv");
        Files.writeString(csv, "movieId,genres\n1,Drama\n");
        assertThatThrownBy(() -> MovieLensMovies.read(csv, handler))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("first line must be 'movieId,title,genres'");
    }
}
