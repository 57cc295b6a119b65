package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;

import io.github.sockleak.Sockets;
import io.github.sockleak.junit.NoSocketLeaks;
import io.github.sockleak.junit.SocketLeakError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far past its settle a failing check runs: a test that leaks a CLOSE-WAIT socket, checked with a short settle,
 * under N background connections. Each failure report says how long the check waited (from its first probe to the
 * beginning of the last, which decided); the overrun is that wait minus the settle: the last probe's start past the
 * deadline, which grows with the probe before it when a probe reads the whole table.
 */
final class SettleOverrun implements Table {

    /** "waited 212 ms for sockets to settle, up to 200 ms", and "the last probe took 31 ms" when it took 10 ms or more. */
    private static final Pattern WAITED = Pattern.compile("waited (\\d+) ms for sockets to settle, up to (\\d+) ms");
    private static final Pattern LAST_PROBE = Pattern.compile("the last probe took (\\d+) ms");
    private static final int WARM_UP = 3;

    private final Table.Settings settings;
    private final TestRuns runs = new TestRuns();
    private final MarkdownTable table = new MarkdownTable("Settle overrun of a failing check",
            "background connections", "sockets in table", "settle", "failures", "waited median", "overrun median",
            "overrun max", "last probe median");

    SettleOverrun(Table.Settings settings) {
        this.settings = settings;
    }

    @Override
    public List<Integer> populations() {
        return settings.populationsOr(List.of(50_000));
    }

    @Override
    public void measure(Background background) throws IOException {
        Map<String, String> configuration = Map.of(NoSocketLeaks.SETTLE_PROPERTY_NAME, settings.settleMillis() + "ms");
        int sockets = Sockets.snapshot().all().size();
        List<Long> waited = new ArrayList<>();
        List<Long> lastProbe = new ArrayList<>();
        for (int i = 0; i < WARM_UP + settings.rounds(); i++) {
            TestRuns.Run run = runs.run(CheckedTests.Leaking.class, configuration);
            CheckedTests.Leaking.closeLeft();
            if (run.failures().size() != 1 || !(run.failures().get(0) instanceof SocketLeakError)) {
                throw new IllegalStateException("the leaking test should fail with one SocketLeakError: " + run.failures());
            }
            String report = run.failures().get(0).getMessage();
            Matcher matcher = WAITED.matcher(report);
            if (!matcher.find()) {
                throw new IllegalStateException("no wait in the report: " + report);
            }
            if (i >= WARM_UP) {
                waited.add(Long.parseLong(matcher.group(1)));
                Matcher probe = LAST_PROBE.matcher(report);
                lastProbe.add(probe.find() ? Long.parseLong(probe.group(1)) : 0);
            }
        }
        List<Long> overrun = waited.stream().map(ms -> ms - settings.settleMillis()).toList();
        table.row(count(background.connections()), count(sockets), settings.settleMillis() + " ms", count(waited.size()),
                millis(Stats.median(waited)), millis(Stats.median(overrun)), millis(Stats.max(overrun)),
                Stats.median(lastProbe) < 10 ? "< 10 ms" : millis(Stats.median(lastProbe)));
    }

    private static String millis(double ms) {
        return String.format("%.0f ms", ms);
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
