package io.github.sockleak.junit.internal.origins;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.none;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Which JDK methods get which advice. The points are the ones every TCP socket of the JDK passes through, on
 * JDK 17 to 25 alike:
 *
 * <ul>
 *   <li>{@code java.net.Socket} and {@code ServerSocket}, the public classes, rather than {@code NioSocketImpl}
 *       behind them: their addresses can be read through public methods, and a custom {@code SocketImpl} or an
 *       {@code SSLSocket} passes through them too. {@code ServerSocket.implAccept(Socket)} is the one accept path
 *       that {@code ServerSocket.accept()} and {@code SSLServerSocket} share.</li>
 *   <li>{@code sun.nio.ch.SocketChannelImpl} and {@code ServerSocketChannelImpl} for {@code SocketChannel}s and
 *       the socket adaptors built on them ({@code blockingConnect} is the adaptor's connect, {@code finishConnect}
 *       completes a non-blocking one); an accepted channel is
 *       recognised by the constructor that takes the accepted descriptor, shared by {@code accept()} and the
 *       adaptor's timed accept.</li>
 *   <li>{@code sun.nio.ch.AsynchronousServerSocketChannelImpl.bind}, {@code UnixAsynchronousSocketChannelImpl}'s
 *       {@code implConnect} (the caller) and {@code setConnected} (the addresses, known only once connected), its
 *       accepted-connection constructor, and the asynchronous channels' {@code close}.</li>
 * </ul>
 */
final class SocketInstrumentation {

    private SocketInstrumentation() {
    }

    /**
     * Instruments the JDK's socket classes: those loaded now at once, the others when they load. Returns the set of
     * classes instrumented so far, which grows as classes load; throws when a class could not be instrumented.
     */
    static Set<String> install(Instrumentation instrumentation) {
        Map<String, List<AsmVisitorWrapper>> advice = new LinkedHashMap<>();
        advise(advice, "java.net.Socket", named("connect").and(takesArguments(2)), SocketAdvice.Connect.class);
        advise(advice, "java.net.Socket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "java.net.ServerSocket", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "java.net.ServerSocket",
                named("implAccept").and(takesArguments(1)).and(takesArgument(0, Socket.class)), SocketAdvice.AcceptInto.class);
        advise(advice, "java.net.ServerSocket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl",
                named("connect").and(takesArguments(1)).or(named("blockingConnect").and(takesArguments(2))), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", named("finishConnect").and(takesArguments(0)), SocketAdvice.FinishConnect.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", isConstructor().and(takesArguments(4)), SocketAdvice.AcceptedChannel.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", named("implConnect"), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", named("setConnected").and(takesArguments(0)), SocketAdvice.FinishConnect.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", isConstructor().and(takesArguments(3)), SocketAdvice.AcceptedChannel.class);
        advise(advice, "sun.nio.ch.AsynchronousSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);

        Set<String> instrumented = ConcurrentHashMap.newKeySet();
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        AgentBuilder builder = new AgentBuilder.Default()
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(new Outcome(instrumented, errors))
                // The default ignores the bootstrap class loader: the JDK's classes are exactly what is wanted here.
                .ignore(none());
        for (Map.Entry<String, List<AsmVisitorWrapper>> type : advice.entrySet()) {
            List<AsmVisitorWrapper> visitors = type.getValue();
            // One transformation per type: byte-buddy applies only the first transformation that matches a type.
            builder = builder.type(named(type.getKey())).transform((typeBuilder, description, loader, module, domain) -> {
                DynamicType.Builder<?> result = typeBuilder;
                for (AsmVisitorWrapper visitor : visitors) {
                    result = result.visit(visitor);
                }
                return result;
            });
        }
        builder.installOn(instrumentation);
        if (!errors.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not instrument " + errors.size()
                    + " of the JDK's socket classes; first: " + errors.get(0).getMessage());
            errors.forEach(failure::addSuppressed);
            throw failure;
        }
        return instrumented;
    }

    private static void advise(Map<String, List<AsmVisitorWrapper>> advice, String type,
                               ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        advice.computeIfAbsent(type, t -> new ArrayList<>()).add(Advice.to(adviceClass).on(methods));
    }

    /** Collects what was instrumented and what failed, so that installation can say which class refused. */
    private static final class Outcome extends AgentBuilder.Listener.Adapter {

        private final Set<String> instrumented;
        private final List<Throwable> errors;

        Outcome(Set<String> instrumented, List<Throwable> errors) {
            this.instrumented = instrumented;
            this.errors = errors;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            instrumented.add(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            errors.add(new IllegalStateException(typeName + ": " + error, error));
        }
    }
}
