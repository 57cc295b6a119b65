package io.github.sockleak.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One of the README's tables: a title, a markdown header, rows, and notes printed under them. */
final class MarkdownTable {

    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    MarkdownTable(String title, String... columns) {
        this.title = title;
        this.columns = List.of(columns);
    }

    void row(String... cells) {
        row(List.of(cells));
    }

    void row(List<String> cells) {
        if (cells.size() != columns.size()) {
            throw new IllegalArgumentException(cells.size() + " cells for " + columns.size() + " columns");
        }
        rows.add(List.copyOf(cells));
    }

    void note(String line) {
        notes.add(line);
    }

    void print(PrintStream out) {
        out.println();
        out.println("### " + title);
        out.println();
        out.println("| " + String.join(" | ", columns) + " |");
        out.println("|" + "---:|".repeat(columns.size()));
        rows.forEach(row -> out.println("| " + String.join(" | ", row) + " |"));
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(out::println);
        }
        out.flush();
    }

    static String ms(double nanos) {
        return String.format("%.2f ms", nanos / 1e6);
    }

    static String times(double ratio) {
        return Double.isNaN(ratio) ? "n/a" : String.format("%.2fx", ratio);
    }

    /**
     * The last cells of a row measured in pairs: the median of the pairs' ratios, its 95% interval, and every pair's
     * ratio in order.
     */
    static List<String> pairedRatios(List<Double> ratios) {
        double[] interval = Stats.medianInterval(ratios);
        return List.of(String.format("%.2fx", Stats.median(ratios)),
                interval == null ? "n/a (fewer than 6 pairs)" : String.format("%.2fx to %.2fx", interval[0], interval[1]),
                String.join(" ", ratios.stream().map(ratio -> String.format("%.2f", ratio)).toList()));
    }

    static String count(long n) {
        return String.format("%,d", n);
    }
}
