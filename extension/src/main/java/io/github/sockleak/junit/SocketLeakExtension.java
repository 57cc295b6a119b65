package io.github.sockleak.junit;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpState;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.netlink.NetlinkSupport;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import io.github.sockleak.junit.internal.LeakSettings;
import io.github.sockleak.junit.internal.OriginsSetup;
import io.github.sockleak.junit.internal.RunningCheck;
import io.github.sockleak.junit.internal.SettingsOverride;
import io.github.sockleak.junit.internal.SettingsResolver;
import io.github.sockleak.junit.internal.SocketOrigins;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Takes a snapshot of the kernel's TCP sockets before each test (or before all, with {@link Scope#CLASS}),
 * compares it with fresh ones after, and fails the test that leaves sockets behind with a {@link SocketLeakError}.
 * When the test failed by itself, the leak is added to that failure as suppressed, never in its place.
 *
 * <p>Usually registered by {@link NoSocketLeaks}; also usable as
 * {@code @RegisterExtension static SocketLeakExtension sockets = SocketLeakExtension.builder()...build();}, or for
 * a whole suite through JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}).
 */
public final class SocketLeakExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        BeforeTestExecutionCallback, AfterTestExecutionCallback, AfterEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(SocketLeakExtension.class);
    private static final String PARALLEL_PROPERTY_NAME = "junit.jupiter.execution.parallel.enabled";
    /** The page of a class-scoped check: no method is named so. */
    private static final String CLASS_PAGE = "class";

    private final SettingsOverride explicit;
    private final BooleanSupplier supported;

    /** The extension configured by annotations and configuration parameters only. */
    public SocketLeakExtension() {
        this(SettingsOverride.NONE, Sockets::isSupported);
    }

    SocketLeakExtension(SettingsOverride explicit, BooleanSupplier supported) {
        this.explicit = explicit;
        this.supported = supported;
    }

    /**
     * A builder for {@code @RegisterExtension}, starting from the configuration parameters' defaults.
     *
     * @return a builder with nothing set
     */
    public static Builder builder() {
        return new Builder(SettingsOverride.NONE);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        begin(context, Scope.CLASS);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        end(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        begin(context, Scope.TEST);
    }

    /** For a timeline's phases: the test body begins. */
    @Override
    public void beforeTestExecution(ExtensionContext context) {
        RunningCheck check = store(context).get(key(context), RunningCheck.class);
        if (check != null) {
            check.testStarted();
        }
    }

    /** For a timeline's phases: the test body ended. */
    @Override
    public void afterTestExecution(ExtensionContext context) {
        RunningCheck check = store(context).get(key(context), RunningCheck.class);
        if (check != null) {
            check.testEnded();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        end(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == SocketProbe.class;
    }

    @Override
    public SocketProbe resolveParameter(ParameterContext parameter, ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            RunningCheck check = store(c.get()).get(key(c.get()), RunningCheck.class);
            if (check != null && check.baseline().isPresent()) {
                return new SocketProbe(check.baseline().get(), check.counters(), check.settings()::snapshot);
            }
        }
        try {
            LeakSettings settings = settings(context);
            return new SocketProbe(settings.snapshot(), Sockets.counters(), settings::snapshot);
        } catch (SocketSnapshotException e) {
            throw new ParameterResolutionException("sockleak: cannot give " + parameter.getDeclaringExecutable().getName()
                    + " a SocketProbe: " + e.getMessage(), e);
        }
    }

    private void begin(ExtensionContext context, Scope scope) {
        LeakSettings settings = settings(context);
        if (settings.mode() == Mode.OFF) {
            return;
        }
        if (settings.scope() != scope) {
            if (settings.scope() == Scope.CLASS && context.getTestMethod().isPresent() && !classChecked(context)) {
                throw new ExtensionConfigurationException("sockleak: scope CLASS checks a whole class and so needs"
                        + " @NoSocketLeaks(scope = CLASS) on the class, not on the method " + describe(context));
            }
            return;
        }
        if (!isSupported(context, settings)) {
            return;
        }
        requireForcedSource(context, settings);
        SocketOrigins origins = OriginsSetup.forCheck(settings, describe(context));
        if (!origins.isRecording()) {
            warnOnceIfParallel(context);
        }
        // Marked before the baseline: whatever this check sees opened, the agent saw opened for it.
        TestMarks.Marking marking = origins.isRecording() ? TestMarks.begin(describe(context)) : null;
        store(context).put(key(context), RunningCheck.start(describe(context), settings, scope, origins, marking,
                takesProbe(context), pageName(context)));
    }

    private void end(ExtensionContext context) {
        RunningCheck check = store(context).remove(key(context), RunningCheck.class);
        if (check == null) {
            return;
        }
        Optional<Throwable> testFailure = context.getExecutionException().filter(failure -> !(failure instanceof TestAbortedException));
        RunningCheck.Verdict verdict = check.finish(parallel(context), testFailure);
        verdict.notes().forEach(note -> publish(context, note));
        verdict.leak().ifPresent(leak -> report(context, verdict.fails(), leak));
    }

    /**
     * Fails with {@code error}, after the test's own failure if it has one; or, when not failing, warns. A leak
     * always reaches the user: a test that aborted (a failed assumption) fails with the leak, the abort attached
     * by JUnit; a failure that refuses suppressed exceptions gets the report printed and published instead.
     */
    private static void report(ExtensionContext context, boolean fail, SocketLeakError error) {
        if (!fail) {
            publish(context, error.getMessage());
            return;
        }
        Optional<Throwable> testFailure = context.getExecutionException().filter(failure -> !(failure instanceof TestAbortedException));
        if (testFailure.isEmpty()) {
            throw error; // JUnit keeps a failure over an abort, and adds the abort to it as suppressed
        }
        testFailure.get().addSuppressed(error);
        if (!Arrays.asList(testFailure.get().getSuppressed()).contains(error)) {
            publish(context, error.getMessage());
        }
    }

    /** A report entry for the build's reports, and a line on standard error for a person reading the console. */
    private static void publish(ExtensionContext context, String report) {
        context.publishReportEntry("sockleak", report);
        System.err.println(report);
    }

    private boolean isSupported(ExtensionContext context, LeakSettings settings) {
        Boolean canSee = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("supported", key -> {
            boolean result = supported.getAsBoolean();
            if (!result) {
                System.err.println("sockleak: cannot see the kernel's TCP sockets here (os.name="
                        + System.getProperty("os.name") + ", no /proc/net/tcp, no netlink): socket leak checks are NOT running."
                        + " Set " + NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME + "=fail to make that a failure.");
            }
            return result;
        }, Boolean.class);
        if (!canSee && settings.failWhenUnsupported()) {
            throw new ExtensionConfigurationException("sockleak: " + describe(context) + " must be checked for socket"
                    + " leaks (" + NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME + "=fail), but the kernel's TCP sockets"
                    + " cannot be seen here: no /proc/net/tcp, no netlink (os.name=" + System.getProperty("os.name") + ")");
        }
        return canSee;
    }

    /** A source forced by configuration that cannot be used here is a mistake in the build, not a leak. */
    private static void requireForcedSource(ExtensionContext context, LeakSettings settings) {
        String unusable = null;
        if (settings.source() == SnapshotSource.NETLINK) {
            NetlinkSupport.Availability netlink = NetlinkSupport.availability();
            unusable = netlink.isAvailable() ? null : netlink.reason();
        } else if (settings.source() == SnapshotSource.PROCFS && !ProcfsSocketSource.system().isAvailable()) {
            unusable = "/proc/net/tcp cannot be read";
        }
        if (unusable != null) {
            throw new ExtensionConfigurationException("sockleak: " + NoSocketLeaks.SOURCE_PROPERTY_NAME + "="
                    + settings.source().name().toLowerCase(Locale.ROOT) + " cannot be used to check " + describe(context)
                    + ": " + unusable + ". Remove the setting (or set auto) to let sockleak choose.");
        }
    }

    private static boolean parallel(ExtensionContext context) {
        return context.getConfigurationParameter(PARALLEL_PROPERTY_NAME).map(Boolean::parseBoolean).orElse(false);
    }

    private static void warnOnceIfParallel(ExtensionContext context) {
        if (parallel(context)) {
            context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("parallel-warned", key -> {
                System.err.println("sockleak: parallel test execution is on. The kernel does not say which test opened"
                        + " a socket, so a test running beside a leaky one can be blamed for its leak. Run leak-checked"
                        + " classes with @Isolated or @ResourceLock(Resources.GLOBAL) for exact blame.");
                return Boolean.TRUE;
            }, Boolean.class);
        }
    }

    /** Whether a method or constructor of the test's classes, outer ones included, takes a {@link SocketProbe}. */
    private static boolean takesProbe(ExtensionContext context) {
        for (Class<?> type = context.getTestClass().orElse(null); type != null; type = type.getEnclosingClass()) {
            for (Class<?> level = type; level != null && level != Object.class; level = level.getSuperclass()) {
                if (Stream.concat(Arrays.stream(level.getDeclaredMethods()), Arrays.stream(level.getDeclaredConstructors()))
                        .anyMatch(executable -> Arrays.asList(executable.getParameterTypes()).contains(SocketProbe.class))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean classChecked(ExtensionContext context) {
        return context.getParent().map(parent -> store(parent).get(key(parent), RunningCheck.class) != null).orElse(false);
    }

    /**
     * Defaults, then configuration parameters (read once per run), then the builder's values, then every
     * {@link NoSocketLeaks} from the outermost class in to the test method, each closer one winning.
     */
    private LeakSettings settings(ExtensionContext context) {
        LeakSettings settings = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("configured",
                key -> new SettingsResolver(context::getConfigurationParameter).configured(), LeakSettings.class);
        settings = explicit.applyTo(settings);
        Deque<AnnotatedElement> elements = new ArrayDeque<>();
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            c.get().getElement().ifPresent(elements::push);
        }
        for (AnnotatedElement element : elements) {
            Optional<NoSocketLeaks> annotation = AnnotationSupport.findAnnotation(element, NoSocketLeaks.class);
            if (annotation.isPresent()) {
                settings = SettingsOverride.of(annotation.get()).applyTo(settings);
            }
        }
        return settings;
    }

    private static ExtensionContext.Store store(ExtensionContext context) {
        return context.getStore(NAMESPACE);
    }

    /** Keyed by the context's id: a store also answers from its parents', and a class check is not a test's. */
    private static String key(ExtensionContext context) {
        return "check:" + context.getUniqueId();
    }

    /** A page per test under its class's folder; a class-scoped check's page is its class's {@code class}. */
    private static RunningCheck.PageName pageName(ExtensionContext context) {
        String className = context.getTestClass().map(Class::getName).orElse(context.getDisplayName());
        String testName = context.getTestMethod().map(m -> m.getName() + "()"
                        + (context.getDisplayName().equals(m.getName() + "()") ? "" : " [" + context.getDisplayName() + "]"))
                .orElse(CLASS_PAGE);
        return new RunningCheck.PageName(className, testName);
    }

    private static String describe(ExtensionContext context) {
        String className = context.getTestClass()
                .map(c -> c.getName().substring(c.getPackageName().isEmpty() ? 0 : c.getPackageName().length() + 1).replace('$', '.'))
                .orElse(context.getDisplayName());
        return context.getTestMethod().map(m -> className + "." + m.getName() + "()"
                        + (context.getDisplayName().equals(m.getName() + "()") ? "" : " [" + context.getDisplayName() + "]"))
                .orElse(className);
    }

    /** Builds an immutable {@link SocketLeakExtension} for {@code @RegisterExtension}; unset values come from configuration. */
    public static final class Builder {

        private final SettingsOverride values;

        private Builder(SettingsOverride values) {
            this.values = values;
        }

        /**
         * Whether a leak fails the test, is only reported, or is not looked for.
         *
         * @param mode the mode
         * @return this builder
         */
        public Builder mode(Mode mode) {
            return new Builder(values.withMode(mode == Mode.INFERRED ? null : mode));
        }

        /**
         * The states in which a socket the test opened is a leak; CLOSE-WAIT by default.
         *
         * @param first a failing state
         * @param more more failing states
         * @return this builder
         */
        public Builder failOn(TcpState first, TcpState... more) {
            return new Builder(values.withFailOn(EnumSet.of(first, more)));
        }

        /**
         * How long sockets may take to settle before a leak is reported; 1 s by default.
         *
         * @param settle the settle time
         * @return this builder
         */
        public Builder settle(Duration settle) {
            if (settle.isNegative()) {
                throw new IllegalArgumentException("settle must not be negative: " + settle);
            }
            return new Builder(values.withSettle(settle));
        }

        /**
         * Whether each test is checked, or the class from before all to after all.
         *
         * @param scope per test or per class
         * @return this builder
         */
        public Builder scope(Scope scope) {
            return new Builder(values.withScope(scope == Scope.INFERRED ? null : scope));
        }

        /**
         * Ports never reported, local or remote.
         *
         * @param ports the ports
         * @return this builder
         */
        public Builder ignorePorts(int... ports) {
            return new Builder(values.withIgnorePorts(SettingsResolver.ports("ignorePorts", ports)));
        }

        /**
         * Local ports checked even when another process holds their sockets.
         *
         * @param ports the ports
         * @return this builder
         */
        public Builder watchPorts(int... ports) {
            return new Builder(values.withWatchPorts(SettingsResolver.ports("watchPorts", ports)));
        }

        /**
         * Packages or classes whose leaks are reported as ignored: see {@link NoSocketLeaks#ignoreOpenedBy()}.
         *
         * @param packagesOrClasses packages or classes, by name, whose leaks are reported in one line and never fail
         * @return this builder
         */
        public Builder ignoreOpenedBy(String... packagesOrClasses) {
            return new Builder(values.withIgnoreOpenedBy(SettingsResolver.openers("ignoreOpenedBy", packagesOrClasses)));
        }

        /**
         * The extension, configured.
         *
         * @return the extension
         */
        public SocketLeakExtension build() {
            return new SocketLeakExtension(values, Sockets::isSupported);
        }
    }
}
