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
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(List.of(cells));
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

    static String count(long n) {
        return String.format("%,d", n);
    }
}
