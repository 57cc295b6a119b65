package io.github.sockleak.junit.internal.origins;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
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
 * Installs the advice of {@link SocketInstrumentation} and {@link TaskInstrumentation} into the JDK's classes, in one
 * pass: retransforming the classes already loaded, and staying registered so that a class that loads later is
 * instrumented as it loads.
 *
 * <p>byte-buddy's {@code AgentBuilder} would do the same, but constructing one makes byte-buddy reach for
 * {@code sun.misc.Unsafe}, which JDK 24 and later report with a warning on standard error.
 */
final class JdkInstrumentation implements ClassFileTransformer {

    private final Map<String, List<AsmVisitorWrapper>> adviceByInternalName;
    private final Set<String> instrumented = ConcurrentHashMap.newKeySet();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    private JdkInstrumentation(Map<String, List<AsmVisitorWrapper>> adviceByInternalName) {
        this.adviceByInternalName = adviceByInternalName;
    }

    /** Instruments the JDK's socket and executor classes. Throws when a class could not be instrumented. */
    static void install(Instrumentation instrumentation) throws UnmodifiableClassException, ClassNotFoundException, NoSuchMethodException {
        Map<String, List<AsmVisitorWrapper>> advice = new LinkedHashMap<>();
        SocketInstrumentation.addTo(advice);
        TaskInstrumentation.addTo(advice);

        JdkInstrumentation transformer = new JdkInstrumentation(advice);
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
                    + " of the JDK's socket and executor classes; first: " + transformer.errors.get(0).getMessage());
            transformer.errors.forEach(failure::addSuppressed);
            throw failure;
        }
        List<String> missed = new ArrayList<>(advice.keySet());
        missed.removeAll(transformer.instrumented);
        if (!missed.isEmpty()) {
            throw new IllegalStateException("the JVM did not let sockleak instrument " + missed);
        }
    }

    /** Adds {@code visitor} to what {@code type}, a JDK class, gets. */
    static void add(Map<String, List<AsmVisitorWrapper>> advice, String type, AsmVisitorWrapper visitor) {
        advice.computeIfAbsent(type.replace('.', '/'), t -> new ArrayList<>()).add(visitor);
    }

    /** Adds {@code adviceClass} to the {@code methods} of {@code type}, a JDK class. */
    static void advise(Map<String, List<AsmVisitorWrapper>> advice, String type,
                       ElementMatcher<? super MethodDescription> methods, Class<?> adviceClass) {
        add(advice, type, Advice.to(adviceClass).on(methods));
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (loader != null || internalName == null) {
            return null; // every class of the JVM passes here: the classes instrumented are all in the bootstrap loader
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
