package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.Owner;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.internal.BacklogHints;
import io.github.sockleak.junit.internal.SocketOrigins;
import io.github.sockleak.junit.internal.bootstrap.TaskEvents;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** What the installed agent knows, for the extension: the origins of kernel rows, and the recorder's switches. */
public final class Origins implements SocketOrigins {

    private final OriginTable table;
    private final OriginRecorder recorder;

    private Origins(OriginTable table, OriginRecorder recorder) {
        this.table = table;
        this.recorder = recorder;
    }

    /** Starts recording; call only once {@code SocketEvents} is on the bootstrap class path. */
    static Origins start() {
        OriginTable table = new OriginTable();
        OriginRecorder recorder = OriginRecorder.register(table);
        BacklogHints.register(local -> table.listenerBacklog(SocketKey.listener(local)));
        return new Origins(table, recorder);
    }

    /** Whether to capture the caller's stack at each connect, accept and listen ({@code sockleak.originStacks}). */
    public void recordStacks(boolean stacks) {
        recorder.recordStacks(stacks);
        TaskCarrier.recordStacks(stacks);
    }

    /** Pauses or resumes recording ({@code sockleak.origins=off} after the agent was installed). */
    public void record(boolean on) {
        recorder.enable(on);
        BacklogHints.register(on ? local -> table.listenerBacklog(SocketKey.listener(local)) : null);
    }

    @Override
    public boolean onNextListener(Runnable action) {
        recorder.onNextListener(action);
        return true;
    }

    @Override
    public void forget(Runnable action) {
        recorder.forget(action);
    }

    /** The socket's origin, also when the application closed it since the table was read. */
    @Override
    public Optional<Origin> of(TcpSocket socket) {
        if (socket.owner() == Owner.OTHER_PROCESS) {
            // Another process holds it or queues it: a socket of ours that once had the same addresses is not this one.
            return Optional.empty();
        }
        return openOrRecentlyClosed(SocketKey.of(socket));
    }

    @Override
    public Optional<Origin> peerOf(TcpSocket socket) {
        return openOrRecentlyClosed(SocketKey.of(socket).reversed());
    }

    @Override
    public List<AbandonedSocket> abandonedBy(TestMark check) {
        return table.takeAbandoned(origin -> origin.test() == check);
    }

    @Override
    public List<AbandonedSocket> abandonedByEndedTests() {
        return table.takeAbandoned(origin -> !origin.test().isRunning());
    }

    @Override
    public Optional<Origin> listenerOf(TcpSocket queued) {
        if (queued.owner() != Owner.ACCEPT_QUEUE) {
            // Queued on another process's listener: a listener of ours that had its address once is not that one.
            return Optional.empty();
        }
        SocketKey key = SocketKey.of(queued);
        return openOrRecentlyClosed(key.listenerOnLocalAddress()).or(() -> openOrRecentlyClosed(key.listenerOnAnyAddress()));
    }

    private Optional<Origin> openOrRecentlyClosed(SocketKey key) {
        Origin open = table.get(key);
        return Optional.ofNullable(open != null ? open : table.recentlyClosed(key));
    }

    /** The origin of one of this JVM's listeners, by its local address. */
    Optional<Origin> ofListener(InetSocketAddress local) {
        SocketKey key = SocketKey.listener(local);
        Origin origin = table.get(key);
        return Optional.ofNullable(origin != null ? origin : table.get(key.listenerOnAnyAddress()));
    }

    /** How many submitted tasks carry a test's mark that no thread has taken up yet. For tests, through {@code OriginsAccess}. */
    int carriedTasks() {
        return TaskEvents.carried();
    }

    /** How many open sockets the agent holds records for. For tests, through {@code OriginsAccess}. */
    int recorded() {
        return table.size();
    }
}
