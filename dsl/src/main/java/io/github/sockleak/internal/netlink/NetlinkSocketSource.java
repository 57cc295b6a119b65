package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.TableSink;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Reads the namespace's TCP sockets as {@code ss} does, over a {@code NETLINK_SOCK_DIAG} socket, which adds what
 * {@code /proc} lacks (a listener's maximum backlog and drop count, the socket cookie) and costs less: one walk of
 * the kernel's tables for both families, or one per family on a kernel without the legacy request
 * ({@link NetlinkChannel#dumpAll}). This process's socket inodes still come from
 * {@code /proc/self/fd} ({@link OwnDescriptors}), read before and after the dumps as the {@code /proc} source
 * does.
 *
 * <p>Every read opens its own netlink socket and memory, so reads on several threads do not share state, and a
 * failed dump leaves nothing behind for the next one.
 */
final class NetlinkSocketSource implements SocketSource {

    private final ProcfsSocketSource procfs;
    private final Supplier<LibC> libc;

    /** @param libc opens the C library's calls for one read */
    NetlinkSocketSource(ProcfsSocketSource procfs, Supplier<LibC> libc) {
        this.procfs = procfs;
        this.libc = libc;
    }

    /** How each read opens the C library's calls; {@link NetlinkDumps} opens them alike. */
    Supplier<LibC> libc() {
        return libc;
    }

    /** Each row goes to {@code sink} as its datagram is decoded. */
    @Override
    public void read(TableSink sink) {
        betweenListings(sink::ownInodes, channel -> channel.dumpAll(sink));
    }

    /**
     * A read's steps in their order: this process's socket descriptors listed, {@code dump} run on a netlink socket
     * of its own, the descriptors listed again. Each listing's inodes go to {@code ownInodes}. {@link NetlinkDumps}
     * times the same steps with nothing decoded.
     */
    void betweenListings(Consumer<Collection<Long>> ownInodes, Consumer<NetlinkChannel> dump) {
        try (LibC calls = libc.get()) {
            OwnDescriptors descriptors = new OwnDescriptors(calls, procfs);
            ownInodes.accept(descriptors.sockets().values());
            try (NetlinkChannel channel = NetlinkChannel.open(calls)) {
                dump.accept(channel);
            }
            ownInodes.accept(descriptors.sockets().values());
        }
    }
}
