package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.SocketEvents;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/**
 * Turns socket events into {@link Origin}s in the {@link OriginTable}. Runs inside the application's socket calls,
 * so it does as little as it can there: the addresses, the thread, the time, the test and a cheap stack capture.
 *
 * <p>Loaded only after {@link SocketEvents} is on the bootstrap class path: it extends that class, and must extend
 * the bootstrap copy that the advice calls.
 */
final class OriginRecorder extends SocketEvents {

    /** What {@code ServerSocket}, {@code ServerSocketChannel} and the asynchronous channel use for a backlog below 1. */
    private static final int JDK_DEFAULT_BACKLOG = 50;

    private final OriginTable table;
    private volatile boolean stacks = true;
    private volatile boolean enabled = true;

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

    @Override
    protected void onOpened(Object socket, int kind, Object remoteHint, int backlog) {
        if (!enabled || (kind == CONNECTED && table.isRecorded(socket))) {
            return; // a connect is reported again when a non-blocking connect completes: the first report stands
        }
        Throwable capture = stacks ? new Throwable("socket opened") : null;
        InetSocketAddress local;
        InetSocketAddress remote;
        try {
            if (socket instanceof Socket) {
                local = inet(((Socket) socket).getLocalSocketAddress());
                remote = inet(((Socket) socket).getRemoteSocketAddress());
            } else if (socket instanceof ServerSocket) {
                local = inet(((ServerSocket) socket).getLocalSocketAddress());
                remote = null;
            } else if (socket instanceof NetworkChannel) {
                local = inet(((NetworkChannel) socket).getLocalAddress());
                remote = remoteOf(socket);
            } else {
                return;
            }
        } catch (IOException e) {
            return; // closed again already: nothing the kernel will show either
        }
        Origin.Kind what = kind == CONNECTED ? Origin.Kind.CONNECTED : kind == ACCEPTED ? Origin.Kind.ACCEPTED : Origin.Kind.LISTENING;
        int appliedBacklog = what == Origin.Kind.LISTENING ? Somaxconn.clamp(backlog < 1 ? JDK_DEFAULT_BACKLOG : backlog) : 0;
        Origin origin = new Origin(null, what, Thread.currentThread().getName(), System.currentTimeMillis(),
                TestMarks.current(), appliedBacklog, capture);
        if (local == null || local.getPort() == 0) {
            if (what == Origin.Kind.CONNECTED && socket instanceof NetworkChannel) {
                // A non-blocking connect in progress: the channel learns its addresses when it completes, maybe on
                // another thread. Keep the caller's origin until then.
                table.connecting(socket, origin);
            }
            return; // otherwise not an Internet socket: UNIX domain channels share these classes
        }
        if (what == Origin.Kind.CONNECTED) {
            Origin caller = table.connected(socket);
            origin = caller != null ? caller : origin;
            if (remote == null) {
                remote = inet(remoteHint);
            }
        }
        table.opened(socket, origin.withKey(what == Origin.Kind.LISTENING ? SocketKey.listener(local) : SocketKey.of(local, remote)));
    }

    @Override
    protected void onClosed(Object socket) {
        table.closed(socket);
    }

    private static InetSocketAddress remoteOf(Object channel) throws IOException {
        if (channel instanceof SocketChannel) {
            return inet(((SocketChannel) channel).getRemoteAddress());
        }
        if (channel instanceof AsynchronousSocketChannel) {
            return inet(((AsynchronousSocketChannel) channel).getRemoteAddress());
        }
        return null;
    }

    private static InetSocketAddress inet(Object address) {
        if (address instanceof InetSocketAddress && !((InetSocketAddress) address).isUnresolved()) {
            return (InetSocketAddress) address;
        }
        return null;
    }
}
