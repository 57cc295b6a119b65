package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.Stats.median;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What recording a timeline adds to a clean checked test: the same clean loopback exchange, checked, with
 * {@code sockleak.timeline} off, {@code onFailure} (recorded, then dropped) and {@code always} (a page written for
 * each test), batches of the three alternated in one JVM with the order rotated every round.
 */
final class TimelineCost implements Table {

    private static final List<String> MODES = List.of("off", "onFailure", "always");

    private final Table.Settings settings;
    private final TestRuns runs = new TestRuns();
    private final MarkdownTable table = new MarkdownTable("A clean checked test with and without its timeline (medians)",
            "tests each", "timeline off", "onFailure", "always", "onFailure - off", "always - off");

    TimelineCost(Table.Settings settings) {
        this.settings = settings;
    }

    @Override
    public List<Integer> populations() {
        return List.of(0);
    }

    @Override
    public void measure(Background background) {
        Map<String, Supplier<TestRuns.Run>> batches = new LinkedHashMap<>();
        configurations().forEach((mode, configuration) ->
                batches.put(mode, () -> runs.run(CheckedTests.ExchangeChecked.class, configuration)));
        Map<String, List<Long>> durations = runs.alternate(batches, settings.tests());
        double off = median(durations.get("off"));
        double onFailure = median(durations.get("onFailure"));
        double always = median(durations.get("always"));
        table.row(count(durations.get("off").size()), ms(off), ms(onFailure), ms(always), ms(onFailure - off), ms(always - off));
    }

    /** Pages of {@code always} go to a temporary folder, not the working directory. */
    private static Map<String, Map<String, String>> configurations() {
        Path pages;
        try {
            pages = Files.createTempDirectory("sockleak-timeline-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Map<String, String>> configurations = new LinkedHashMap<>();
        for (String mode : MODES) {
            configurations.put(mode, Map.of("sockleak.timeline", mode, "sockleak.timelineDirectory", pages.toString()));
        }
        return configurations;
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
