package io.github.sockleak.internal.netlink;

import static io.github.sockleak.benchmarks.Measure.median;
import static io.github.sockleak.benchmarks.Measure.time;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.Sockets;
import io.github.sockleak.benchmarks.Background;
import io.github.sockleak.benchmarks.Measure;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where a full netlink snapshot's time goes, against {@code ss -tan} in the same run: the kernel's dump alone (the
 * same requests, their datagrams received and thrown away, nothing decoded), the dump decoded into rows, and the whole
 * {@code Sockets.snapshot(NETLINK)}. The first is the floor no reader of these requests can go under. Compiled by
 * {@code bench/netlink-floor.sh} into sockleak's package, to reach the package-private channel classes.
 */
public final class NetlinkFloor {

    private static final int WARM_UP = 10;
    private static Supplier<LibC> libc;

    public static void main(String[] args) {
        Path pidFile = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        libc = ForeignLibC.linked(); // fails, with the reason, where netlink cannot be used
        System.out.printf("JDK %s; medians of %d rounds after %d warm-up rounds, each reader right after an ss%n%n", Runtime.version(), rounds, WARM_UP);
        System.out.println("| background connections | sockets | kernel's dump alone | dump decoded | snapshot | `ss -tan` | dump alone / ss | decoded / ss | snapshot / ss |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 2; i < args.length; i++) {
            int n = Integer.parseInt(args[i]);
            try (Background background = new Background(n, pidFile)) {
                row(n, Sockets.snapshot().all().size(), rounds);
            }
        }
    }

    private static void row(int n, int sockets, int rounds) {
        List<LongSupplier> readers = List.of(NetlinkFloor::dumpAlone, NetlinkFloor::dumpDecoded,
                () -> Sockets.snapshot(SnapshotSource.NETLINK).all().size());
        List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Long> ss = new ArrayList<>();
        for (int i = 0; i < WARM_UP + rounds; i++) {
            for (int k = 0; k < readers.size(); k++) {
                // Each reader right after an ss, so that none finds the kernel's sockets warm from another dump.
                long ssTime = time(Measure::ssTan);
                long readerTime = time(readers.get(k));
                if (i >= WARM_UP) {
                    ss.add(ssTime);
                    times.get(k).add(readerTime);
                }
            }
        }
        long alone = median(times.get(0));
        long decoded = median(times.get(1));
        long snapshot = median(times.get(2));
        long ssMedian = median(ss);
        System.out.printf("| %,d | %,d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2fx | %.2fx | %.2fx |%n", n, sockets,
                alone / 1e6, decoded / 1e6, snapshot / 1e6, ssMedian / 1e6,
                (double) alone / ssMedian, (double) decoded / ssMedian, (double) snapshot / ssMedian);
    }

    /**
     * The snapshot's requests (its listeners, then the other states), each reply received datagram by datagram until
     * NLMSG_DONE; the bytes received.
     */
    private static long dumpAlone() {
        try (LibC calls = libc.get()) {
            int fd = calls.socket(InetDiag.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, InetDiag.NETLINK_SOCK_DIAG);
            if (fd < 0) {
                throw NetlinkException.ofErrno("socket", calls.errno());
            }
            try {
                ByteBuffer buffer = calls.allocate(NetlinkChannel.RECEIVE_BUFFER_BYTES);
                ByteBuffer kernel = calls.allocate(12).putShort(0, (short) InetDiag.AF_NETLINK);
                return received(calls, fd, buffer, kernel,
                        InetDiag.legacyDumpRequest(1, 0, InetDiag.LISTEN_STATE, InetDiag.EXT_SKMEMINFO))
                        + received(calls, fd, buffer, kernel, InetDiag.legacyDumpRequest(2, 0,
                                InetDiag.ALL_STATES & ~InetDiag.LISTEN_STATE, InetDiag.NO_EXTENSIONS));
            } finally {
                calls.close(fd);
            }
        }
    }

    /** Sends {@code request} and receives its reply until NLMSG_DONE; the bytes received. */
    private static long received(LibC libc, int fd, ByteBuffer buffer, ByteBuffer kernel, ByteBuffer request) {
        buffer.clear().put(request).flip();
        if (libc.sendto(fd, buffer, 0, kernel) < 0) {
            throw NetlinkException.ofErrno("sendto", libc.errno());
        }
        long total = 0;
        while (true) {
            long received = libc.recv(fd, buffer.clear(), 0);
            if (received <= 0) {
                throw NetlinkException.ofErrno("recv", libc.errno());
            }
            total += received;
            // The kernel sends NLMSG_DONE in a datagram of its own, after the last socket.
            if (buffer.getShort(4) == InetDiag.NLMSG_DONE) {
                return total;
            }
        }
    }

    private static long dumpDecoded() {
        List<io.github.sockleak.internal.RawSocketRow> rows = new ArrayList<>();
        try (LibC calls = libc.get(); NetlinkChannel channel = NetlinkChannel.open(calls)) {
            channel.dumpAll(rows, new ArrayList<>());
        }
        return rows.size();
    }
}
