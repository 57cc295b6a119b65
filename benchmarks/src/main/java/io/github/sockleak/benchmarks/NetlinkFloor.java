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
import java.util.function.LongSupplier;

/**
 * Where a full netlink snapshot's time goes, against {@code ss -tan} in the same run: the kernel's dump alone (the
 * snapshot's requests, their datagrams received and thrown away, nothing decoded), the dump decoded into rows, the
 * whole {@code Sockets.snapshot(NETLINK)}, and the listings of this process's descriptors it makes around its dump.
 * The first is the floor no reader of these requests can go under: what is left between it and a target is all the
 * Java side may spend.
 */
final class NetlinkFloor implements Table {

    private static final int WARM_UP = 10;

    private final Table.Settings settings;
    private final NetlinkDumps dumps;
    private final MarkdownTable table = new MarkdownTable("The kernel's share of a netlink snapshot (medians, each reader right after an `ss -tan`)",
            "background connections", "sockets", "kernel's dump alone", "dump decoded", "snapshot",
            "descriptors listed twice", "`ss -tan`", "dump alone / ss", "decoded / ss", "snapshot / ss", "snapshot / dump alone", "the same, per round");

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
        List<LongSupplier> readers = List.of(dumps::undecoded, dumps::decoded,
                () -> Sockets.snapshot(SnapshotSource.NETLINK).all().size(), dumps::descriptorsTwice);
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> ss = new ArrayList<>();
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
        double alone = median(times.get(0));
        double decoded = median(times.get(1));
        double snapshot = median(times.get(2));
        double descriptors = median(times.get(3));
        double ssMedian = median(ss);
        // A round's dump and snapshot ran a few milliseconds apart: their ratio does not drift with the machine's load
        // over the minutes of the whole run, as the ratio of two medians can.
        List<Double> perRound = new ArrayList<>();
        for (int i = 0; i < settings.rounds(); i++) {
            perRound.add(ratio(times.get(2).get(i), times.get(0).get(i)));
        }
        table.row(count(background.connections()), count(Sockets.snapshot().all().size()), ms(alone), ms(decoded),
                ms(snapshot), ms(descriptors), ms(ssMedian), times(ratio(alone, ssMedian)), times(ratio(decoded, ssMedian)),
                times(ratio(snapshot, ssMedian)), times(ratio(snapshot, alone)), times(median(perRound)));
    }

    @Override
    public MarkdownTable result() {
        return table;
    }
}
