package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.RowSink;
import java.util.ArrayList;
import java.util.List;

/**
 * <b>Internal, for sockleak's benchmarks only</b> ({@code NetlinkFloor}): the full snapshot's netlink dump without
 * the rest of a snapshot, so that they can tell the kernel's share of a snapshot's time from sockleak's. Through the
 * same C library calls as the snapshots ({@link NetlinkSupport}), on any JDK that reads netlink. Not API.
 */
public final class NetlinkDumps {

    private final NetlinkSocketSource source;

    private NetlinkDumps(NetlinkSocketSource source) {
        this.source = source;
    }

    /** @throws IllegalStateException with the reason, where this JVM cannot read netlink */
    public static NetlinkDumps linked() {
        return new NetlinkDumps((NetlinkSocketSource) NetlinkSupport.availability().source());
    }

    /**
     * The kernel's dump between two listings of this process's socket descriptors, nothing decoded: what any snapshot
     * that tells this process's sockets from others must do, in the order a snapshot does it. The bytes received.
     */
    public long undecodedBetweenListings() {
        long[] bytes = new long[1];
        source.betweenListings(inodes -> { }, channel -> bytes[0] = channel.dumpAllUndecoded());
        return bytes[0];
    }

    /** The kernel's dump alone: its datagrams received and thrown away. The bytes received. */
    public long undecoded() {
        try (LibC calls = source.libc().get(); NetlinkChannel channel = NetlinkChannel.open(calls)) {
            return channel.dumpAllUndecoded();
        }
    }

    /** The dump decoded into rows, without this process's descriptors or the model. The rows read. */
    public int decoded() {
        List<RawSocketRow> rows = new ArrayList<>();
        try (LibC calls = source.libc().get(); NetlinkChannel channel = NetlinkChannel.open(calls)) {
            channel.dumpAll(RowSink.into(rows, new ArrayList<>()));
        }
        return rows.size();
    }
}
