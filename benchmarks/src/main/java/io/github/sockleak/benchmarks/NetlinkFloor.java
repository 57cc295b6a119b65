package io.github.sockleak.benchmarks;

import static io.github.sockleak.benchmarks.MarkdownTable.count;
import static io.github.sockleak.benchmarks.MarkdownTable.ms;
import static io.github.sockleak.benchmarks.MarkdownTable.times;
import static io.github.sockleak.benchmarks.Measure.time;
import static io.github.sockleak.benchmarks.Stats.median;
import static io.github.sockleak.benchmarks.Stats.ratio;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.internal.netlink.NetlinkDumps;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Where a full netlink snapshot's time goes, against {@code ss -tan} in the same run: the kernel's dump alone (the
 * snapshot's requests, their datagrams received and thrown away, nothing decoded), the same dump between two
 * listings of this process's descriptors (the least a snapshot that tells its own sockets must do), the dump decoded
 * into rows, and the whole {@code Sockets.snapshot(NETLINK)}. The first is the floor no reader of these requests can
 * go under; the second, the floor of a snapshot with owners. What is left between them and a target is all the Java
 * side may spend.
 */
final class NetlinkFloor implements Table {

    private static final int WARM_UP = 10;
    /**
     * Before its first rounds, the readers run back to back for this long, so that the JIT has compiled them. With the
     * 10 rounds alone, a run that starts at 0 background connections timed the snapshot's code before the JIT had
     * compiled it (a few sockets a round are too few calls), and read snapshot / dump 1.30x to 1.46x there, against
     * 1.09x to 1.28x once compiled.
     */
    private static final long FIRST_WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(20);

    private final Table.Settings settings;
    private final NetlinkDumps dumps;
    private boolean warm;
    private final MarkdownTable table = new MarkdownTable("The kernel's share of a netlink snapshot (medians, each reader right after an `ss -tan`)",
            "background connections", "sockets", "kernel's dump alone", "dump between two descriptor listings", "dump decoded",
            "snapshot", "`ss -tan`", "dump alone / ss", "snapshot / ss", "snapshot / dump alone, per round",
            "listings and dump / dump alone, per round", "snapshot / listings and dump, per round");

    /** @throws IllegalStateException with the reason, where this JVM cannot read netlink */
    NetlinkFloor(Table.Settings settings) {
        this.settings = settings;
        this.dumps = NetlinkDumps.linked();
    }

    @Override
    public List<Integer> populations() {
        return settings.populationsOr(List.of(0, 5_000, 50_000));
    }

    @Override
    public void measure(Background background) {
        List<LongSupplier> readers = List.of(dumps::undecoded, dumps::undecodedBetweenListings, dumps::decoded,
                () -> Sockets.snapshot(SnapshotSource.NETLINK).all().size());
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> ss = new ArrayList<>();
        if (!warm) {
            for (long start = System.nanoTime(); System.nanoTime() - start < FIRST_WARM_UP_NANOS; ) {
                readers.forEach(LongSupplier::getAsLong);
            }
            warm = true;
        }
        for (int i = 0; i < WARM_UP + settings.rounds(); i++) {
            for (int k = 0; k < readers.size(); k++) {
                // Each reader right after an ss, so that none finds the kernel's sockets warm from another dump:
                // back to back, the snapshot run right after the decoded dump once measured no slower than the bare dump.
                long ssTime = time(Measure::ssTan);
                long readerTime = time(readers.get(k));
                if (i >= WARM_UP) {
                    ss.add(ssTime);
                    times.get(k).add(readerTime);
                }
            }
        }
        List<Long> alone = times.get(0);
        List<Long> listed = times.get(1);
        List<Long> snapshot = times.get(3);
        double ssMedian = median(ss);
        table.row(count(background.connections()), count(Sockets.snapshot().all().size()), ms(median(alone)),
                ms(median(listed)), ms(median(times.get(2))), ms(median(snapshot)), ms(ssMedian),
                times(ratio(median(alone), ssMedian)), times(ratio(median(snapshot), ssMedian)),
                times(perRound(snapshot, alone)), times(perRound(listed, alone)), times(perRound(snapshot, listed)));
    }

    /**
     * The median of each round's ratio: a round's readers ran a few milliseconds apart, so their ratio does not drift
     * with the machine's load over the minutes of the whole run, as the ratio of two medians can.
     */
    private static double perRound(List<Long> numerators, List<Long> denominators) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < numerators.size(); i++) {
            ratios.add(ratio(numerators.get(i), denominators.get(i)));
        }
        return median(ratios);
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
