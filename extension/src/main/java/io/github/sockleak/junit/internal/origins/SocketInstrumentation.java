package io.github.sockleak.junit.internal.origins;

import static io.github.sockleak.junit.internal.origins.JdkInstrumentation.advise;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.net.Socket;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * Which JDK socket methods get which advice. The points are the ones every TCP socket of the JDK passes through, on
 * JDK 17 to 25 alike:
 *
 * <ul>
 *   <li>{@code java.net.Socket} and {@code ServerSocket}, the public classes, rather than {@code NioSocketImpl}
 *       behind them: their addresses can be read through public methods, and a custom {@code SocketImpl} or an
 *       {@code SSLSocket} passes through them too. {@code ServerSocket.implAccept(Socket)} is the one accept path
 *       that {@code ServerSocket.accept()} and {@code SSLServerSocket} share.</li>
 *   <li>{@code sun.nio.ch.SocketChannelImpl} and {@code ServerSocketChannelImpl} for {@code SocketChannel}s and
 *       the socket adaptors built on them ({@code blockingConnect} is the adaptor's connect); an accepted channel is
 *       recognised by the constructor that takes the accepted descriptor, shared by {@code accept()} and the
 *       adaptor's timed accept. Their close is seen where {@code AbstractInterruptibleChannel.close()} begins, before
 *       the channel is marked closed and its addresses can no longer be read.</li>
 *   <li>{@code sun.nio.ch.AsynchronousServerSocketChannelImpl.bind}, {@code UnixAsynchronousSocketChannelImpl}'s
 *       {@code implConnect} and its accepted-connection constructor, and the asynchronous channels' {@code close}.</li>
 * </ul>
 *
 * <p>A connect is recorded where the application called it, also when it completes later (a non-blocking channel,
 * an asynchronous one): the addresses are read when a lookup needs them, by which time the connection has them.
 */
final class SocketInstrumentation {

    private SocketInstrumentation() {
    }

    static void addTo(Map<String, List<AsmVisitorWrapper>> advice) {
        advise(advice, "java.net.Socket", named("connect").and(takesArguments(2)), SocketAdvice.Connect.class);
        advise(advice, "java.net.Socket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "java.net.ServerSocket", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "java.net.ServerSocket",
                named("implAccept").and(takesArguments(1)).and(takesArgument(0, Socket.class)), SocketAdvice.AcceptInto.class);
        advise(advice, "java.net.ServerSocket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl",
                named("connect").and(takesArguments(1)).or(named("blockingConnect").and(takesArguments(2))), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", isConstructor().and(takesArguments(4)), SocketAdvice.AcceptedChannel.class);
        // Where a channel's close begins, while its addresses can be read; its own close method too, which a thread's
        // interrupt reaches without passing there.
        advise(advice, "java.nio.channels.spi.AbstractInterruptibleChannel", named("close").and(takesArguments(0)),
                SocketAdvice.CloseChannel.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", named("implConnect"), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", isConstructor().and(takesArguments(3)), SocketAdvice.AcceptedChannel.class);
        advise(advice, "sun.nio.ch.AsynchronousSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
    }
}
