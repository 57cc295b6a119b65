package io.github.sockleak.junit.internal.origins;

import io.github.sockleak.junit.internal.bootstrap.SocketEvents;
import java.nio.channels.NetworkChannel;
import net.bytebuddy.asm.Advice;

/**
 * The code inlined into the JDK's socket classes. Each advice references only {@link SocketEvents} (on the bootstrap
 * class path) and its constants, which the compiler inlines; {@code suppress = Throwable.class} makes byte-buddy
 * swallow anything the advice throws, so the application's call behaves as if the advice were not there.
 * Exit advice without {@code onThrowable} runs only when the call succeeded: a failed connect records nothing.
 */
final class SocketAdvice {

    private SocketAdvice() {
    }

    /**
     * {@code Socket.connect(SocketAddress, int)}, {@code SocketChannelImpl.connect} and {@code blockingConnect}, and the
     * asynchronous channel's {@code implConnect}: at the caller's call, even when the connect completes later.
     */
    static final class Connect {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object socket, @Advice.Argument(0) Object remote) {
            SocketEvents.opened(socket, SocketEvents.CONNECTED, remote, 0);
        }
    }

    /** {@code ServerSocket.implAccept(Socket)}: the argument is the accepted socket, connected on return. */
    static final class AcceptInto {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object accepted) {
            SocketEvents.opened(accepted, SocketEvents.ACCEPTED, null, 0);
        }
    }

    /** The constructors that channels use for an accepted connection. */
    static final class AcceptedChannel {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object channel) {
            SocketEvents.opened(channel, SocketEvents.ACCEPTED, null, 0);
        }
    }

    /** {@code bind(SocketAddress, int backlog)} of server sockets and server channels: bind and listen. */
    static final class Listen {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object server, @Advice.Argument(1) int backlog) {
            SocketEvents.opened(server, SocketEvents.LISTENING, null, backlog);
        }
    }

    /**
     * {@code AbstractInterruptibleChannel.close()}, which every channel shares, for the network ones: it marks the
     * channel closed before the socket channels' own close methods run, after which their addresses can no longer be
     * read, so a closed client's origin could not be remembered by its addresses (the report then called a closed
     * {@code SocketChannel}'s queued connection's client unknown). Here the channel is still open.
     */
    static final class CloseChannel {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel) {
            if (channel instanceof NetworkChannel) {
                SocketEvents.closed(channel);
            }
        }
    }

    /** Every close path: the table forgets the socket. */
    static final class Close {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object socket) {
            SocketEvents.closed(socket);
        }
    }
}
