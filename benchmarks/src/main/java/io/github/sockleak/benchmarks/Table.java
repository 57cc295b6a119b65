package io.github.sockleak.benchmarks;

import java.util.List;

/** One of the tables {@link Tables} prints: a row per background population, measured in the run that prints it. */
interface Table {

    /** The settings every table reads: rounds and tests per figure, the settle, the populations asked for. */
    record Settings(int rounds, int tests, int settleMillis, List<Integer> populations) {

        /** The populations asked for, else the table's own. */
        List<Integer> populationsOr(List<Integer> defaults) {
            return populations.isEmpty() ? defaults : populations;
        }
    }

    /** The numbers of background connections it has a row for. */
    List<Integer> populations();

    /** Measures its row with {@code background} holding {@code background.connections()} connections. */
    void measure(Background background) throws Exception;

    MarkdownTable result();
}
