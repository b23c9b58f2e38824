package dev.hstu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON twin of a results file, derived from the Markdown itself so that the two can never disagree: the title,
 * the command, the text before and in each section, and every table as rows of column name to cell (a cell that is a
 * plain number, with or without thousands separators, becomes a JSON number, and {@code 0.0891 ± 0.0050} becomes
 * {@code {"mean": 0.0891, "std": 0.0050}}; anything else stays the text the Markdown shows).
 *
 * <p>{@code java dev.hstu.bench.ResultsTwin bench/results/x.md ...} writes the twins of results files written
 * before benchmarks wrote them; {@link BenchReport#write} writes one beside every results file.
 */
public final class ResultsTwin {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern COMMAND = Pattern.compile("(?i)command:?\\**\\s*`([^`]+)`");
    private static final String NUMBER_TEXT = "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:[eE][-+]?\\d+)?";
    private static final Pattern NUMBER = Pattern.compile(NUMBER_TEXT);
    private static final Pattern MEAN_STD = Pattern.compile("(" + NUMBER_TEXT + ")\\s*±\\s*(" + NUMBER_TEXT + ")");

    private ResultsTwin() {}

    /**
     * @param args results files ({@code .md})
     * @throws IOException when one cannot be read or its twin written
     */
    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            Path md = Path.of(arg);
            Path twin = write(md, Files.readString(md, StandardCharsets.UTF_8));
            System.out.println("wrote " + twin);
        }
    }

    /**
     * @param results the results file ({@code name.md})
     * @param markdown its content
     * @return the twin written beside it ({@code name.json})
     * @throws IOException when it cannot be written
     */
    public static Path write(Path results, String markdown) throws IOException {
        Path twin = twinOf(results);
        Files.writeString(twin, JSON.writeValueAsString(of(results.getFileName().toString(), markdown)));
        return twin;
    }

    /** @return {@code name.json} beside {@code name.md} */
    public static Path twinOf(Path results) {
        return results.resolveSibling(results.getFileName().toString().replaceFirst("\\.md$", "") + ".json");
    }

    /**
     * @param source the results file's name
     * @param markdown its content
     * @return the twin
     */
    public static ObjectNode of(String source, String markdown) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("source", source);
        Matcher command = COMMAND.matcher(markdown);
        root.put("command", command.find() ? command.group(1) : null);
        ArrayNode sections = root.putArray("sections");
        ObjectNode section = null;
        List<String> paragraph = new ArrayList<>();
        List<String> table = new ArrayList<>();
        for (String line : (markdown + "\n").split("\n", -1)) {
            String t = line.strip();
            ObjectNode into = section != null ? section : root;
            if (!t.startsWith("|") && !table.isEmpty()) {
                tables(into).add(table(table));
                table.clear();
            }
            if (t.isEmpty() || t.startsWith("#") || t.startsWith("- ") || t.startsWith("|") || t.startsWith("![")) {
                if (!paragraph.isEmpty()) {
                    text(into).add(String.join(" ", paragraph));
                    paragraph.clear();
                }
            }
            if (t.startsWith("# ") && !root.has("title")) {
                root.put("title", t.substring(2).strip());
            } else if (t.startsWith("#")) {
                section = sections.addObject();
                section.put("heading", t.replaceFirst("^#+\\s*", ""));
            } else if (t.startsWith("|")) {
                table.add(t);
            } else if (t.startsWith("- ") || t.startsWith("![")) {
                text(into).add(t);
            } else if (!t.isEmpty()) {
                paragraph.add(t);
            }
        }
        return root;
    }

    private static ArrayNode text(ObjectNode node) {
        return node.has("text") ? (ArrayNode) node.get("text") : node.putArray("text");
    }

    private static ArrayNode tables(ObjectNode node) {
        return node.has("tables") ? (ArrayNode) node.get("tables") : node.putArray("tables");
    }

    private static ArrayNode table(List<String> lines) {
        ArrayNode rows = JsonNodeFactory.instance.arrayNode();
        List<String> header = cells(lines.get(0));
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = cells(lines.get(i));
            if (cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue;
            }
            ObjectNode row = rows.addObject();
            for (int c = 0; c < cells.size(); c++) {
                String name = c < header.size() ? header.get(c) : "column " + (c + 1);
                put(row, name, cells.get(c));
            }
        }
        return rows;
    }

    private static List<String> cells(String line) {
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
        List<String> cells = new ArrayList<>();
        for (String cell : inner.split("\\|", -1)) {
            cells.add(cell.strip());
        }
        return cells;
    }

    private static void put(ObjectNode row, String name, String cell) {
        String plain = cell.replace("**", "").replace("`", "").strip();
        Matcher meanStd = MEAN_STD.matcher(plain);
        if (NUMBER.matcher(plain).matches()) {
            row.put(name, number(plain));
        } else if (meanStd.matches()) {
            ObjectNode value = row.putObject(name);
            value.put("mean", number(meanStd.group(1)));
            value.put("std", number(meanStd.group(2)));
        } else {
            row.put(name, cell);
        }
    }

    private static BigDecimal number(String text) {
        return new BigDecimal(text.replace(",", ""));
    }
}
