package io.github.sockleak.benchmarks;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many bytes of heap a full snapshot keeps alive per socket, read from {@code /proc} and from netlink.
 *
 * <p>Run from a built tree (the module's {@code target/lib} holds the dsl jar and JNA):
 * <pre>
 * ./mvnw -o -q -pl benchmarks -am package -DskipTests
 * java --enable-native-access=ALL-UNNAMED -cp 'benchmarks/target/classes:benchmarks/target/lib/*' \
 *     io.github.sockleak.benchmarks.SnapshotMemory [connections]
 * </pre>
 * {@code connections} (10,000 unless given) loopback connections, two sockets each, are held by child JVMs of at
 * most {@value #PER_HOLDER} connections, every other one on the IPv4 stack, so that both {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (IPv4-mapped rows, as a dual-stack Java socket makes) are crowded. The children are ended
 * by PID when the measurement is over, and by a shutdown hook if this JVM ends first. A JDK 17 to 21 reads netlink
 * through JNA; a JDK 22+ through its foreign-function API, which needs the flag above (a source that cannot be used
 * is reported, not measured).
 *
 * <p>Method: retained memory is what a full garbage collection cannot free. For each source, after two snapshots
 * have loaded and initialised everything a snapshot needs, each round reads the used heap after full collections
 * ({@link System#gc()} until the reading stops moving), takes {@value #KEPT} snapshots and keeps them all in an array,
 * reads the used heap after full collections again, and divides the difference by the number of sockets the kept
 * snapshots hold between them. Keeping several snapshots makes the difference large (megabytes) next to what the
 * measurement itself allocates (a few objects per reading), and dividing by their sockets gives the cost of one
 * socket, the snapshot's fixed cost spread over a large table. The median of {@value #ROUNDS} rounds is printed
 * with their range. Other processes' sockets in the namespace count like the holders': every socket costs the same.
 */
public final class SnapshotMemory {

    private static final int DEFAULT_CONNECTIONS = 10_000;
    /** Two descriptors per connection: 4,000 stay well under a usual hard limit of descriptors per process. */
    private static final int PER_HOLDER = 4_000;
    private static final int KEPT = 8;
    private static final int ROUNDS = 5;
    private static final long READY_TIMEOUT_SECONDS = 180;
    private static final long EXIT_TIMEOUT_SECONDS = 15;

    private SnapshotMemory() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_CONNECTIONS;
        System.out.printf("JDK %s, %s; %,d loopback connections held by other processes%n",
                Runtime.version(), ManagementFactory.getRuntimeMXBean().getVmName(), connections);
        try (Holders holders = Holders.start(connections)) {
            System.out.printf("%-8s %9s %28s%n", "source", "sockets", "retained B/socket: median (range)");
            for (SnapshotSource source : SnapshotSource.values()) {
                System.out.println(measure(source));
            }
        }
    }

    private static String measure(SnapshotSource source) {
        String name = source == SnapshotSource.PROCFS ? "/proc" : "netlink";
        try {
            Sockets.snapshot(source);
            Sockets.snapshot(source);
        } catch (SocketSnapshotException e) {
            return String.format("%-8s not measured: %s", name, e.getMessage());
        }
        double[] perSocket = new double[ROUNDS];
        long sockets = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long before = settledUsedHeap();
            SocketSnapshot[] kept = new SocketSnapshot[KEPT];
            sockets = 0;
            for (int i = 0; i < KEPT; i++) {
                kept[i] = Sockets.snapshot(source);
                sockets += kept[i].all().size();
            }
            long after = settledUsedHeap();
            Reference.reachabilityFence(kept);
            perSocket[round] = (double) (after - before) / sockets;
        }
        Arrays.sort(perSocket);
        return String.format("%-8s %9d %12.1f (%.1f to %.1f)", name, sockets / KEPT, perSocket[ROUNDS / 2],
                perSocket[0], perSocket[ROUNDS - 1]);
    }

    /** The used heap once full collections stop freeing anything: a first one can leave what a finalizer or a reference queue frees next. */
    private static long settledUsedHeap() {
        long previous = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            if (Math.abs(previous - used) < 16 * 1024) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /** The child JVMs holding the connections, each ended by its PID when closed or when this JVM exits. */
    private static final class Holders implements AutoCloseable {

        private final List<Process> processes = new ArrayList<>();
        private final Thread endOnExit = new Thread(this::end, "end connection holders");

        static Holders start(int connections) throws IOException, InterruptedException {
            Holders holders = new Holders();
            Runtime.getRuntime().addShutdownHook(holders.endOnExit);
            try {
                for (int from = 0; from < connections; from += PER_HOLDER) {
                    holders.processes.add(holder(Math.min(PER_HOLDER, connections - from), holders.processes.size() % 2 == 1));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(READY_TIMEOUT_SECONDS);
                for (Process process : holders.processes) {
                    awaitReady(process, deadline);
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                holders.close();
                throw e;
            }
            return holders;
        }

        private static Process holder(int connections, boolean ipv4Stack) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"));
            if (ipv4Stack) {
                command.add("-Djava.net.preferIPv4Stack=true");
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Holder.class.getName(),
                    String.valueOf(connections)));
            return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }

        /** Reads the holder's {@code READY} line on another thread, so that a stuck holder costs the deadline, not forever. */
        private static void awaitReady(Process process, long deadline) throws IOException, InterruptedException {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
            CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            String ready;
            try {
                ready = line.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                throw new IOException("holder " + process.pid() + " not ready after " + READY_TIMEOUT_SECONDS + " s", e);
            } catch (ExecutionException e) {
                throw new IOException("holder " + process.pid() + ": " + e.getCause(), e);
            }
            if (ready == null || !ready.startsWith("READY")) {
                throw new IOException("holder " + process.pid() + " ended or said '" + ready + "' instead of READY");
            }
        }

        @Override
        public void close() {
            end();
            try {
                Runtime.getRuntime().removeShutdownHook(endOnExit);
            } catch (IllegalStateException alreadyExiting) {
                // the hook is running or has run: it ends them
            }
        }

        /** SIGTERM to each PID, then SIGKILL to those still alive at the deadline. */
        private void end() {
            for (Process process : processes) {
                process.destroy();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_TIMEOUT_SECONDS);
            for (Process process : processes) {
                try {
                    if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    process.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /**
     * A child JVM's main: holds {@code args[0]} established connections to its own listener on {@code 127.0.0.1},
     * prints {@code READY} and waits until its stdin closes or it is killed.
     */
    public static final class Holder {

        private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

        private Holder() {
        }

        public static void main(String[] args) throws IOException {
            int connections = Integer.parseInt(args[0]);
            InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            List<Socket> held = new ArrayList<>(2 * connections);
            try (ServerSocket listener = new ServerSocket(0, 128, loopback)) {
                InetSocketAddress address = new InetSocketAddress(loopback, listener.getLocalPort());
                for (int i = 0; i < connections; i++) {
                    Socket client = new Socket();
                    resetOnClose(client);
                    client.connect(address, CONNECT_TIMEOUT_MILLIS);
                    held.add(client);
                    Socket accepted = listener.accept();
                    resetOnClose(accepted);
                    held.add(accepted);
                }
                System.out.println("READY " + held.size());
                System.out.flush();
                while (System.in.read() >= 0) {
                    // the parent never writes: end of input means it is gone
                }
            }
        }

        /**
         * An orderly close would leave a TIME-WAIT row per connection for a minute, crowding the namespace after
         * the measurement; with {@code SO_LINGER} 0 the kernel resets the connection instead, also when the
         * process is killed.
         */
        private static void resetOnClose(Socket socket) throws IOException {
            socket.setSoLinger(true, 0);
        }
    }
}
