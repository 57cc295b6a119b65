package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.SocketEvents;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns socket events into {@link Origin}s in the {@link OriginTable}. Runs inside the application's socket calls,
 * so it does as little as it can there: the thread, the time, the test and a cheap stack capture; the addresses
 * are read later, when somebody asks ({@link SocketAddresses}).
 *
 * <p>Loaded only after {@link SocketEvents} is in the bootstrap class loader: it extends that class, and must
 * extend the bootstrap copy that the advice calls.
 */
final class OriginRecorder extends SocketEvents {

    /** What {@code ServerSocket}, {@code ServerSocketChannel} and the asynchronous channel use for a backlog below 1. */
    private static final int JDK_DEFAULT_BACKLOG = 50;

    private final OriginTable table;
    private volatile boolean stacks = true;
    private volatile boolean enabled = true;
    /** Actions waiting for this JVM's next listener; each runs once. */
    private final Set<Runnable> onNextListener = ConcurrentHashMap.newKeySet();

    private OriginRecorder(OriginTable table) {
        this.table = table;
    }

    /** A recorder into {@code table}, receiving the advice's events from now on. */
    static OriginRecorder register(OriginTable table) {
        if (SocketEvents.class.getClassLoader() != null) {
            throw new IllegalStateException(SocketEvents.class.getName() + " was loaded by " + SocketEvents.class.getClassLoader()
                    + " instead of the bootstrap class loader, so the JDK's socket classes cannot call this recorder");
        }
        OriginRecorder recorder = new OriginRecorder(table);
        listen(recorder);
        return recorder;
    }

    void recordStacks(boolean recordStacks) {
        this.stacks = recordStacks;
    }

    void enable(boolean record) {
        this.enabled = record;
    }

    void onNextListener(Runnable action) {
        onNextListener.add(action);
    }

    void forget(Runnable action) {
        onNextListener.remove(action);
    }

    @Override
    protected void onOpened(Object socket, int kind, Object remote, int backlog) {
        // Whether or not origins are recorded: a check may wait for a listener while another check paused recording.
        if (kind == LISTENING && !onNextListener.isEmpty()) {
            for (Runnable action : onNextListener) {
                if (onNextListener.remove(action)) { // another thread binding at the same moment may have taken it
                    action.run();
                }
            }
        }
        if (!enabled || (kind == CONNECTED && table.isRecorded(socket))) {
            return; // a connect can pass through two instrumented methods: the first report stands
        }
        Origin.Kind what = kind == CONNECTED ? Origin.Kind.CONNECTED : kind == ACCEPTED ? Origin.Kind.ACCEPTED : Origin.Kind.LISTENING;
        // The kernel applies the backlog when listen() runs, clamped to somaxconn as it is at that moment.
        int appliedBacklog = what == Origin.Kind.LISTENING ? Somaxconn.clamp(backlog < 1 ? JDK_DEFAULT_BACKLOG : backlog) : 0;
        // A Throwable, not a StackWalker, though a walk could stop after the frames a report keeps: the JVM fills
        // in a Throwable's frames for about half a microsecond plus 16 to 18 ns a frame, and they become
        // StackTraceElements only for a report, while a walk bounded to 24 frames costs 1.5 to 5 microseconds on
        // JDK 17 and 25, more than a Throwable at every depth measured (StackCaptureBenchmark).
        Throwable stack = stacks ? new Throwable("socket opened") : null;
        TestMark test = TestMarks.current();
        Handover handover = TestMarks.handover();
        table.opened(socket, new Origin(what, Thread.currentThread().getName(), System.currentTimeMillis(),
                test, appliedBacklog, stack, handover != null && handover.mark() == test ? handover : null));
    }

    @Override
    protected void onClosed(Object socket) {
        table.closed(socket);
    }
}
