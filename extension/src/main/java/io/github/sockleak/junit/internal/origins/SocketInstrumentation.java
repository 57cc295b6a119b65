package io.github.sockleak.junit.internal.origins;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.net.Socket;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

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
 *       the socket adaptors built on them ({@code blockingConnect} is the adaptor's connect); an accepted channel is
 *       recognised by the constructor that takes the accepted descriptor, shared by {@code accept()} and the
 *       adaptor's timed accept.</li>
 *   <li>{@code sun.nio.ch.AsynchronousServerSocketChannelImpl.bind}, {@code UnixAsynchronousSocketChannelImpl}'s
 *       {@code implConnect} and its accepted-connection constructor, and the asynchronous channels' {@code close}.</li>
 * </ul>
 *
 * <p>A connect is recorded where the application called it, also when it completes later (a non-blocking channel,
 * an asynchronous one): the addresses are read when a lookup needs them, by which time the connection has them.
 */
final class SocketInstrumentation implements ClassFileTransformer {

    private final Map<String, List<AsmVisitorWrapper>> adviceByInternalName;
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private SocketInstrumentation(Map<String, List<AsmVisitorWrapper>> adviceByInternalName) {
        this.adviceByInternalName = adviceByInternalName;
    }

    /**
     * Instruments the JDK's socket classes, retransforming those already loaded. The transformer stays registered,
     * so that a class that loads later is instrumented as it loads. Throws when a class could not be instrumented.
     *
     * <p>byte-buddy's {@code AgentBuilder} would do the same, but constructing one makes byte-buddy reach for
     * {@code sun.misc.Unsafe}, which JDK 24 and later report with a warning on standard error.
     */
    static void install(Instrumentation instrumentation) throws UnmodifiableClassException, ClassNotFoundException {
        Map<String, List<AsmVisitorWrapper>> advice = new LinkedHashMap<>();
        advise(advice, "java.net.Socket", named("connect").and(takesArguments(2)), SocketAdvice.Connect.class);
        advise(advice, "java.net.Socket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "java.net.ServerSocket", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "java.net.ServerSocket",
                named("implAccept").and(takesArguments(1)).and(takesArgument(0, Socket.class)), SocketAdvice.AcceptInto.class);
        advise(advice, "java.net.ServerSocket", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl",
                named("connect").and(takesArguments(1)).or(named("blockingConnect").and(takesArguments(2))), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", isConstructor().and(takesArguments(4)), SocketAdvice.AcceptedChannel.class);
        advise(advice, "sun.nio.ch.SocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.ServerSocketChannelImpl", named("implCloseSelectableChannel"), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("bind").and(takesArguments(2)), SocketAdvice.Listen.class);
        advise(advice, "sun.nio.ch.AsynchronousServerSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", named("implConnect"), SocketAdvice.Connect.class);
        advise(advice, "sun.nio.ch.UnixAsynchronousSocketChannelImpl", isConstructor().and(takesArguments(3)), SocketAdvice.AcceptedChannel.class);
        advise(advice, "sun.nio.ch.AsynchronousSocketChannelImpl", named("close").and(takesArguments(0)), SocketAdvice.Close.class);

        SocketInstrumentation transformer = new SocketInstrumentation(advice);
        instrumentation.addTransformer(transformer, true);
        List<Class<?>> alreadyLoaded = new ArrayList<>();
        for (String internalName : advice.keySet()) {
            // Loading without initialising: a class that was not loaded yet is instrumented right here, as it loads.
            Class<?> type = Class.forName(internalName.replace('/', '.'), false, null);
            if (!transformer.instrumented.contains(internalName)) {
                alreadyLoaded.add(type);
            }
        }
        instrumentation.retransformClasses(alreadyLoaded.toArray(new Class<?>[0]));
        if (!transformer.errors.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("could not instrument " + transformer.errors.size()
                    + " of the JDK's socket classes; first: " + transformer.errors.get(0).getMessage());
            transformer.errors.forEach(failure::addSuppressed);
            throw failure;
        }
        List<String> missed = new ArrayList<>(advice.keySet());
        missed.removeAll(transformer.instrumented);
        if (!missed.isEmpty()) {
            throw new IllegalStateException("the JVM did not let sockleak instrument " + missed);
        }
    }

    private static void advise(Map<String, List<AsmVisitorWrapper>> advice, String type,
                               ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        advice.computeIfAbsent(type.replace('.', '/'), t -> new ArrayList<>()).add(Advice.to(adviceClass).on(methods));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (loader != null || internalName == null) {
            return null; // every class of the JVM passes here: the JDK's socket classes are all in the bootstrap loader
        }
        List<AsmVisitorWrapper> visitors = adviceByInternalName.get(internalName);
        if (visitors == null) {
            return null;
        }
        try {
            String name = internalName.replace('/', '.');
            ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes),
                    ClassFileLocator.ForClassLoader.ofBootLoader());
            // No new members: a retransformed class must keep its shape.
            DynamicType.Builder<?> builder = new ByteBuddy()
                    .with(Implementation.Context.Disabled.Factory.INSTANCE)
                    .redefine(TypePool.Default.of(locator).describe(name).resolve(), locator);
            for (AsmVisitorWrapper visitor : visitors) {
                builder = builder.visit(visitor);
            }
            byte[] transformed = builder.make().getBytes();
            instrumented.add(internalName);
            return transformed;
        } catch (Throwable e) {
            // A transformer's exception is swallowed by the JVM: keep it so that installation can report it.
            errors.add(new IllegalStateException(internalName + ": " + e, e));
            return null;
        }
    }
}
