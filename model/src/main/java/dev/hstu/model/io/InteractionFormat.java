package dev.hstu.model.io;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The interaction files the offline commands read, by the name {@code --format} gives them. */
public enum InteractionFormat {
    /** The seed's seq.jsonl ({@link dev.hstu.formats.seq.SeqJsonl}), timestamps in seconds. */
    SEQ_JSONL("seq-jsonl", ".jsonl"),
    /** MovieLens ratings.csv ({@link dev.hstu.formats.movielens.MovieLensRatings}), timestamps in seconds. */
    MOVIELENS("movielens", ".csv"),
    /**
     * {@code user item item ...} lines, or {@code user item} pairs ({@link dev.hstu.formats.seqtext.SequenceText}),
     * without timestamps.
     */
    SEQUENCE_TEXT("sequence-text", ".txt"),
    /** RecBole's atomic {@code .inter} ({@link dev.hstu.formats.recbole.RecBoleInter}), with or without timestamps. */
    RECBOLE_INTER("recbole-inter", ".inter");

    private final String label;
    private final String extension;

    InteractionFormat(String label, String extension) {
        this.label = label;
        this.extension = extension;
    }

    /** @return the name {@code --format} takes */
    public String label() {
        return label;
    }

    /**
     * @param name a format's name, as {@code --format} takes it
     * @return that format
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static InteractionFormat named(String name) {
        for (InteractionFormat f : values()) {
            if (f.label.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown format '" + name + "'; the formats are " + labels());
    }

    /**
     * @param file an interaction file
     * @return its format, told by its name's extension ({@code .jsonl}, {@code .csv}, {@code .txt}, {@code .inter})
     * @throws IllegalArgumentException when the name tells no format, asking for {@code --format}
     */
    public static InteractionFormat of(Path file) {
        String name =
                file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (InteractionFormat f : values()) {
            if (name.endsWith(f.extension)) {
                return f;
            }
        }
        throw new IllegalArgumentException("cannot tell the format of " + file + " from its name (.jsonl seq-jsonl,"
                + " .csv movielens, .txt sequence-text, .inter recbole-inter): give --format " + labels());
    }

    /** @return the formats' names, {@code a|b|c} */
    public static String labels() {
        return Arrays.stream(values()).map(InteractionFormat::label).collect(Collectors.joining("|"));
    }
}
