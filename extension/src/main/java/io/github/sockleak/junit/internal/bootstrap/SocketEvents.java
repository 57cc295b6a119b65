package io.github.sockleak.junit.internal.bootstrap;

/**
 * The bridge between advice inlined into the JDK's socket classes and the recorder, which lives in the
 * application class loader. The JDK's classes are loaded by the bootstrap loader and can only see classes
 * there, so this class is copied onto the bootstrap class path before any advice is installed; the recorder
 * extends it and registers itself with {@link #listen(SocketEvents)}.
 *
 * <p>Rules, because this code runs inside every socket operation of the JVM: reference nothing but
 * {@code java.base}; never throw; never recurse (the recorder may touch sockets itself, for instance to read
 * an address); cost nothing when nobody listens.
 */
public abstract class SocketEvents {

    /** A client socket connected (or started connecting, for a non-blocking channel). */
    public static final int CONNECTED = 1;
    /** A server socket handed out an accepted connection. */
    public static final int ACCEPTED = 2;
    /** A server socket was bound and is listening. */
    public static final int LISTENING = 3;

    private static volatile SocketEvents listener;

    /**
     * TRUE while this thread is inside the listener: socket calls the listener makes are not events. Set back to
     * FALSE, never removed: a removed value costs a new thread-local map entry at the next socket call.
     */
    private static final ThreadLocal<Boolean> INSIDE = new ThreadLocal<>();

    protected SocketEvents() {
    }

    /** Makes {@code events} the only listener; {@code null} stops delivery. */
    public static void listen(SocketEvents events) {
        listener = events;
    }

    /** Whether a listener is registered: after installation, a quick self-check. */
    public static boolean isListening() {
        return listener != null;
    }

    /**
     * Called by advice after a socket operation succeeded.
     *
     * @param socket  the JDK object the application holds: a {@code Socket}, {@code ServerSocket} or channel
     * @param kind    {@link #CONNECTED}, {@link #ACCEPTED} or {@link #LISTENING}
     * @param remote  the address the application connected to, for channels that do not know it yet; or null
     * @param backlog the backlog passed to {@code bind}/{@code listen}, for {@link #LISTENING}
     */
    public static void opened(Object socket, int kind, Object remote, int backlog) {
        SocketEvents events = listener;
        if (events == null || INSIDE.get() == Boolean.TRUE) {
            return;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            events.onOpened(socket, kind, remote, backlog);
        } catch (Throwable ignored) {
            // Recording is best effort; the application's socket call must go on as if nothing was here.
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
    }

    /** Called by advice when the application closes a socket. */
    public static void closed(Object socket) {
        SocketEvents events = listener;
        if (events == null || INSIDE.get() == Boolean.TRUE) {
            return;
        }
        INSIDE.set(Boolean.TRUE);
        try {
            events.onClosed(socket);
        } catch (Throwable ignored) {
            // Same as above: never let the recorder change what close() does.
        } finally {
            INSIDE.set(Boolean.FALSE);
        }
    }

    protected abstract void onOpened(Object socket, int kind, Object remote, int backlog);

    protected abstract void onClosed(Object socket);
}
