package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.RawSocketRow;
import io.github.sockleak.internal.SocketSource;
import io.github.sockleak.internal.SocketTable;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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
public final class NetlinkSocketSource implements SocketSource {

    private final ProcfsSocketSource procfs;

    private NetlinkSocketSource(ProcfsSocketSource procfs) {
        this.procfs = procfs;
    }

    /**
     * The source, if native access is enabled for the module holding sockleak.
     *
     * @throws NetlinkException naming the JVM option that is missing, or why the C library calls cannot be made
     */
    public static SocketSource create() {
        requireNativeAccess();
        return new NetlinkSocketSource(ProcfsSocketSource.system());
    }

    @Override
    public SocketTable read() {
        try (Arena arena = Arena.ofConfined()) {
            LibC libc = new LibC(arena);
            OwnDescriptors descriptors = new OwnDescriptors(arena, libc, procfs);
            Set<Long> ownInodes = new HashSet<>(descriptors.sockets().values());
            List<RawSocketRow> rows = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            try (NetlinkChannel channel = NetlinkChannel.open(arena, libc)) {
                channel.dumpAll(rows, skipped);
            }
            ownInodes.addAll(descriptors.sockets().values());
            return new SocketTable(rows, skipped, ownInodes);
        }
    }

    /**
     * Fails unless native access is enabled for the module holding sockleak, then links the C functions, so a JVM
     * that cannot call them is known before the first snapshot.
     *
     * @throws NetlinkException naming the JVM option that is missing, or why the C library calls cannot be made
     */
    static void requireNativeAccess() {
        Module module = NetlinkSocketSource.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new NetlinkException("native access is not enabled for sockleak ("
                    + (module.isNamed() ? "module " + name : "the unnamed module") + "): add --enable-native-access="
                    + name + " to the JVM's options to read the kernel's table over netlink");
        }
        try (Arena arena = Arena.ofConfined()) {
            new LibC(arena);
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new NetlinkException("the C library functions for netlink cannot be linked: "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
    }
}
