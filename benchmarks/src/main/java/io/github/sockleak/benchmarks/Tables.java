package io.github.sockleak.benchmarks;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;
import io.github.sockleak.junit.internal.origins.OriginAgent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Prints the README's benchmark tables measured in this JVM: for each number of background connections any of them
 * asks for, in increasing order, {@link Background} grows to it once and every table with a row there measures it.
 * Run by {@code bench/tables.sh}, which says what each table is.
 *
 * <p>Usage: {@code Tables [--rounds R] [--tests T] [--settle MS] [--n N,N...] table...}, tables among
 * {@code snapshots check queue settle floor overhead timeline}.
 */
public final class Tables {

    private static final Map<String, Function<Table.Settings, Table>> TABLES = new LinkedHashMap<>();

    static {
        TABLES.put("snapshots", SnapshotTable::new);
        TABLES.put("check", settings -> new CheckCost(settings, false));
        TABLES.put("queue", settings -> new CheckCost(settings, true));
        TABLES.put("settle", SettleOverrun::new);
        TABLES.put("floor", NetlinkFloor::new);
        TABLES.put("overhead", ExtensionOverhead::new);
        TABLES.put("timeline", TimelineCost::new);
    }

    private Tables() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = 31;
        int tests = 200;
        int settle = 200;
        List<Integer> populations = List.of();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--tests" -> tests = Integer.parseInt(args[++i]);
                case "--settle" -> settle = Integer.parseInt(args[++i]);
                case "--n" -> populations = Arrays.stream(args[++i].split(",")).map(String::trim).map(Integer::valueOf).toList();
                default -> {
                    if (!TABLES.containsKey(args[i])) {
                        throw new IllegalArgumentException("unknown table or option " + args[i] + "; tables: " + TABLES.keySet());
                    }
                    names.add(args[i]);
                }
            }
        }
        Table.Settings settings = new Table.Settings(rounds, tests, settle, populations);
        SocketSnapshot first = Sockets.snapshot();
        System.out.printf("JDK %s; snapshots from %s (%s); %d cores; %d rounds, %d tests per figure; %s%n",
                Runtime.version(), first.source(), first.sourceReason(), Runtime.getRuntime().availableProcessors(),
                rounds, tests, Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<Table> tables = new ArrayList<>();
        for (String name : names) {
            try {
                tables.add(TABLES.get(name).apply(settings));
            } catch (IllegalStateException e) {
                System.out.printf("%n### %s: not measured here: %s%n", name, e.getMessage());
            }
        }
        TreeSet<Integer> all = new TreeSet<>();
        tables.forEach(table -> all.addAll(table.populations()));
        try (Background background = Background.quiet()) {
            for (int n : all) {
                System.err.printf("tables: %,d background connections%n", n);
                background.growTo(n);
                for (Table table : tables) {
                    if (table.populations().contains(n)) {
                        table.measure(background);
                    }
                }
            }
        }
        tables.forEach(table -> table.result().print(System.out));
        // After the tables: the extension installs the agent, or decides not to, at its first check.
        System.out.printf("%nOrigin agent: %s%n", OriginAgent.status());
    }
}
