package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.MarkdownTable.times;
import static io.github.sockleak.benchmarks.Stats.median;
import static io.github.sockleak.benchmarks.Stats.ratio;

import java.util.List;

/**
 * The leak check's cost per test on tests that use sockets: a clean loopback exchange (listen, connect, accept, one
 * byte, close) with and without {@code @NoSocketLeaks}, with no background: the machine as it is.
 */
final class ExtensionOverhead implements Table {

    private final Table.Settings settings;
    private final TestRuns runs = new TestRuns();
    private final MarkdownTable table = new MarkdownTable("The check's cost per clean loopback test (medians)",
            "tests each", "per test without", "per test with", "overhead per test", "with / without");

    ExtensionOverhead(Table.Settings settings) {
        this.settings = settings;
    }

    @Override
    public List<Integer> populations() {
        return List.of(0);
    }

    @Override
    public void measure(Background background) {
        TestRuns.Comparison tests = runs.compare(CheckedTests.ExchangeChecked.class, CheckedTests.ExchangeUnchecked.class,
                settings.tests());
        double with = median(tests.checked());
        double without = median(tests.unchecked());
        table.row(count(tests.checked().size()), ms(without), ms(with), ms(tests.check()), times(ratio(with, without)));
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
