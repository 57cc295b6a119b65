package io.github.sockleak.internal.watch;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The seed's shell loop ({@code while true; do ss -natp | grep 12345; sleep 1; done}) as a command: looks at the
 * kernel's sockets again and again, and prints what changed, each line with the time of the look.
 */
public final class WatchCommand {

    /** Exit codes, as {@link WatchArguments#USAGE} documents them. */
    public static final int DONE = 0;
    public static final int UNREADABLE = 1;
    public static final int WRONG_ARGUMENTS = 2;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final PrintStream out;
    private final PrintStream err;
    private final Supplier<SocketSnapshot> snapshots;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread looping;

    public WatchCommand(PrintStream out, PrintStream err, Supplier<SocketSnapshot> snapshots) {
        this.out = out;
        this.err = err;
        this.snapshots = snapshots;
    }

    /** Reads the kernel's table from the best source, as {@link Sockets#snapshot()} does. */
    public static WatchCommand system(PrintStream out, PrintStream err) {
        return new WatchCommand(out, err, Sockets::snapshot);
    }

    /** Runs the command; returns its exit code. Loops until {@link #stop(Duration)} unless {@code --once} or {@code --help}. */
    public int run(String... args) {
        try {
            return runChecked(args);
        } finally {
            out.flush();
            ended.countDown();
        }
    }

    private int runChecked(String[] args) {
        WatchArguments arguments;
        try {
            arguments = WatchArguments.parse(args);
        } catch (WatchArguments.UsageException e) {
            err.println("watch: " + e.getMessage());
            err.println(WatchArguments.USAGE);
            return WRONG_ARGUMENTS;
        }
        if (arguments.help()) {
            out.println(WatchArguments.USAGE);
            return DONE;
        }
        SocketSnapshot first;
        Instant firstAt = Instant.now(); // when the look began: a snapshot carries no time of its own
        try {
            first = snapshots.get();
        } catch (SocketSnapshotException e) {
            err.println("watch: cannot read the kernel's TCP sockets: " + e.getMessage());
            return UNREADABLE;
        }
        WatchView view = WatchView.of(first, arguments.selection());
        if (arguments.once()) {
            out.println("# " + arguments.selection() + " at " + TIME.format(firstAt) + ", from " + source(first));
            view.table().forEach(out::println);
            return DONE;
        }
        Duration interval = arguments.interval().orElse(first.source() == SnapshotSource.NETLINK
                ? Duration.ofMillis(100) : Duration.ofSeconds(1));
        out.println("# watching " + arguments.selection() + " every " + interval.toMillis() + " ms, from " + source(first));
        out.println("# + appeared  - gone  ~ changed  ! replaced on the same 4-tuple; Ctrl-C ends");
        printChanges(firstAt, WatchChanges.between(WatchView.empty(), view));
        return loop(arguments.selection(), view, interval);
    }

    private int loop(Selection selection, WatchView first, Duration interval) {
        looping = Thread.currentThread();
        WatchView previous = first;
        long next = System.nanoTime() + interval.toNanos();
        while (!stopping) {
            long left;
            while (!stopping && (left = next - System.nanoTime()) > 0) {
                LockSupport.parkNanos(left);
            }
            if (stopping) {
                break;
            }
            next += interval.toNanos();
            SocketSnapshot snapshot;
            Instant at = Instant.now();
            try {
                snapshot = snapshots.get();
            } catch (SocketSnapshotException e) {
                err.println("watch: cannot read the kernel's TCP sockets any more: " + e.getMessage());
                return UNREADABLE;
            }
            WatchView view = WatchView.of(snapshot, selection);
            printChanges(at, WatchChanges.between(previous, view));
            previous = view;
            if (next - System.nanoTime() < 0) {
                next = System.nanoTime() + interval.toNanos(); // a slow look: no burst of looks to catch up
            }
        }
        out.println("# stopped");
        return DONE;
    }

    private void printChanges(Instant at, List<String> changes) {
        String time = TIME.format(at);
        for (String change : changes) {
            out.println(time + " " + change);
        }
        out.flush();
    }

    private static String source(SocketSnapshot snapshot) {
        return snapshot.source() + " (" + snapshot.sourceReason() + ")";
    }

    /**
     * Ends the loop after the look in progress and waits, up to {@code patience}, until it printed its last line:
     * for Ctrl-C, from a shutdown hook.
     */
    public void stop(Duration patience) {
        stopping = true;
        Thread thread = looping;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
        try {
            ended.await(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
