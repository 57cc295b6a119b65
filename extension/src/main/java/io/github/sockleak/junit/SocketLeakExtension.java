package io.github.sockleak.junit;

import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.SocketSnapshotException;
import io.github.sockleak.Sockets;
import io.github.sockleak.TcpCounters;
import io.github.sockleak.TcpSocket;
import io.github.sockleak.TcpState;
import io.github.sockleak.junit.NoSocketLeaks.Mode;
import io.github.sockleak.junit.NoSocketLeaks.Scope;
import io.github.sockleak.junit.internal.ConcurrentChecks;
import io.github.sockleak.junit.internal.LeakCheck;
import io.github.sockleak.junit.internal.LeakFindings;
import io.github.sockleak.junit.internal.LeakPolicy;
import io.github.sockleak.junit.internal.LeakReport;
import io.github.sockleak.junit.internal.LeakSettings;
import io.github.sockleak.junit.internal.OriginsSetup;
import io.github.sockleak.junit.internal.SettingsOverride;
import io.github.sockleak.junit.internal.SettingsResolver;
import io.github.sockleak.junit.internal.SocketOrigins;
import io.github.sockleak.junit.internal.origins.TestMark;
import io.github.sockleak.junit.internal.origins.TestMarks;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

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
public final class SocketLeakExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(SocketLeakExtension.class);
    private static final String PARALLEL_PROPERTY_NAME = "junit.jupiter.execution.parallel.enabled";

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
            Check check = store(c.get()).get(key(c.get()), Check.class);
            if (check != null && check.baseline != null) {
                return new SocketProbe(check.baseline, check.counters, check.settings::snapshot);
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
        SocketOrigins origins = OriginsSetup.forCheck(settings, describe(context));
        if (!origins.isRecording()) {
            warnOnceIfParallel(context);
        }
        // Marked before the baseline: whatever this check sees opened, the agent saw opened for it.
        TestMarks.Marking marking = origins.isRecording() ? TestMarks.begin(describe(context)) : null;
        store(context).put(key(context), Check.start(settings, scope, origins, marking));
    }

    private void end(ExtensionContext context) {
        Check check = store(context).remove(key(context), Check.class);
        if (check == null) {
            return;
        }
        try {
            check(context, check);
        } finally {
            if (check.marking != null) {
                check.marking.end();
            }
        }
    }

    private void check(ExtensionContext context, Check check) {
        int concurrent = check.concurrency == null ? 0 : check.concurrency.end();
        LeakSettings settings = check.settings;
        if (check.baselineFailure != null) {
            report(context, settings.mode() == Mode.FAIL, new SocketLeakError("sockleak: could not check "
                    + describe(context) + " for leaks: the baseline snapshot failed: " + check.baselineFailure.getMessage()));
            return;
        }
        LeakCheck.Outcome outcome;
        try {
            LeakPolicy policy = new LeakPolicy(settings, check.origins, check.marking == null ? null : check.marking.mark());
            outcome = LeakCheck.settle(check.baseline, policy, settings.settle(), settings::snapshot);
        } catch (SocketSnapshotException e) {
            report(context, settings.mode() == Mode.FAIL,
                    new SocketLeakError("sockleak: could not check " + describe(context) + " for leaks: " + e.getMessage()));
            return;
        }
        noteOthersLeaks(context, check, outcome.findings());
        Optional<TcpCounters> counterChanges = counterChanges(check.counters);
        boolean overflowed = counterChanges.flatMap(LeakReport::overflows).isPresent();
        if (outcome.findings().isEmpty() && !overflowed) {
            return;
        }
        boolean othersRan = concurrent > 0 || (check.scope == Scope.CLASS && parallel(context));
        Optional<String> concurrentNote = !othersRan || allOpenedByThisCheck(check, outcome.findings())
                ? Optional.empty()
                : Optional.of("Other tests ran at the same time" + (concurrent > 0 ? " (" + concurrent + " checked ones)" : "")
                        + ": the kernel cannot tell which test opened a socket, so this one may be blamed for theirs.");
        String message = LeakReport.format(describe(context), settings, outcome, counterChanges, concurrentNote, check.origins);
        boolean fails = settings.mode() == Mode.FAIL
                && (!outcome.findings().isEmpty() || settings.failOnListenOverflows());
        report(context, fails, new SocketLeakError(message));
    }

    /**
     * Another test's leak found by this check: when that test's check still runs, it finds the socket itself;
     * when it has ended, the leak would be lost, so it is written down here (report entry and standard error),
     * without failing this test.
     */
    private static void noteOthersLeaks(ExtensionContext context, Check check, LeakFindings findings) {
        List<TcpSocket> orphaned = findings.otherTests().stream()
                .filter(socket -> check.origins.of(socket).or(() -> check.origins.peerOf(socket))
                        .map(origin -> origin.test() != null && !origin.test().isRunning()).orElse(false))
                .collect(Collectors.toList());
        if (!orphaned.isEmpty()) {
            String note = LeakReport.othersLeaks(describe(context), orphaned, check.origins);
            context.publishReportEntry("sockleak", note);
            System.err.println(note);
        }
    }

    /** Whether the agent saw this check open every socket it blames, so that parallel tests cannot have been mixed up. */
    private static boolean allOpenedByThisCheck(Check check, LeakFindings findings) {
        if (check.marking == null) {
            return false;
        }
        TestMark mark = check.marking.mark();
        return findings.acceptQueues().isEmpty() && findings.leaked().stream()
                .allMatch(socket -> check.origins.of(socket).map(origin -> origin.test() == mark).orElse(false));
    }

    /** Fails with {@code error}, after the test's own failure if it has one; or, when not failing, warns. */
    private static void report(ExtensionContext context, boolean fail, SocketLeakError error) {
        if (!fail) {
            context.publishReportEntry("sockleak", error.getMessage());
            System.err.println(error.getMessage());
            return;
        }
        Optional<Throwable> testFailure = context.getExecutionException();
        if (testFailure.isPresent()) {
            testFailure.get().addSuppressed(error);
            return;
        }
        throw error;
    }

    private static Optional<TcpCounters> counterChanges(TcpCounters before) {
        if (before == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Sockets.counters().since(before));
        } catch (SocketSnapshotException e) {
            return Optional.empty(); // the socket check stands on its own; counters only add to it
        }
    }

    private boolean isSupported(ExtensionContext context, LeakSettings settings) {
        Boolean canSee = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("supported", key -> {
            boolean result = supported.getAsBoolean();
            if (!result) {
                System.err.println("sockleak: cannot see the kernel's TCP sockets here (os.name="
                        + System.getProperty("os.name") + ", no /proc/net/tcp): socket leak checks are NOT running."
                        + " Set " + NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME + "=fail to make that a failure.");
            }
            return result;
        }, Boolean.class);
        if (!canSee && settings.failWhenUnsupported()) {
            throw new ExtensionConfigurationException("sockleak: " + describe(context) + " must be checked for socket"
                    + " leaks (" + NoSocketLeaks.UNSUPPORTED_PROPERTY_NAME + "=fail), but the kernel's TCP sockets"
                    + " cannot be seen here: no /proc/net/tcp (os.name=" + System.getProperty("os.name") + ")");
        }
        return canSee;
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

    private boolean classChecked(ExtensionContext context) {
        return context.getParent().map(parent -> store(parent).get(key(parent), Check.class) != null).orElse(false);
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

    private static String describe(ExtensionContext context) {
        String className = context.getTestClass()
                .map(c -> c.getName().substring(c.getPackageName().isEmpty() ? 0 : c.getPackageName().length() + 1).replace('$', '.'))
                .orElse(context.getDisplayName());
        return context.getTestMethod().map(m -> className + "." + m.getName() + "()"
                        + (context.getDisplayName().equals(m.getName() + "()") ? "" : " [" + context.getDisplayName() + "]"))
                .orElse(className);
    }

    /** A running check: its baseline, or why there is none; and its mark for the origin agent, when origins are recorded. */
    private static final class Check {
        final LeakSettings settings;
        final Scope scope;
        final SocketSnapshot baseline;
        final TcpCounters counters;
        final SocketSnapshotException baselineFailure;
        final ConcurrentChecks concurrency;
        final SocketOrigins origins;
        final TestMarks.Marking marking;

        private Check(LeakSettings settings, Scope scope, SocketSnapshot baseline, TcpCounters counters,
                      SocketSnapshotException baselineFailure, SocketOrigins origins, TestMarks.Marking marking) {
            this.settings = settings;
            this.scope = scope;
            this.baseline = baseline;
            this.counters = counters;
            this.baselineFailure = baselineFailure;
            this.concurrency = scope == Scope.TEST ? ConcurrentChecks.begin() : null;
            this.origins = origins;
            this.marking = marking;
        }

        static Check start(LeakSettings settings, Scope scope, SocketOrigins origins, TestMarks.Marking marking) {
            try {
                TcpCounters counters;
                try {
                    counters = Sockets.counters();
                } catch (SocketSnapshotException e) {
                    counters = null; // the socket check stands on its own; counters only add to it
                }
                return new Check(settings, scope, settings.snapshot(), counters, null, origins, marking);
            } catch (SocketSnapshotException e) {
                // Let the test run: its own outcome comes first; the check reports after it.
                return new Check(settings, scope, null, null, e, origins, marking);
            }
        }
    }

    /** Builds an immutable {@link SocketLeakExtension} for {@code @RegisterExtension}; unset values come from configuration. */
    public static final class Builder {

        private final SettingsOverride values;

        private Builder(SettingsOverride values) {
            this.values = values;
        }

        public Builder mode(Mode mode) {
            return new Builder(new SettingsOverride(mode == Mode.INFERRED ? null : mode, values.failOn(), values.settle(),
                    values.scope(), values.ignorePorts(), values.watchPorts()));
        }

        public Builder failOn(TcpState first, TcpState... more) {
            EnumSet<TcpState> states = EnumSet.of(first, more);
            return new Builder(new SettingsOverride(values.mode(), states, values.settle(), values.scope(),
                    values.ignorePorts(), values.watchPorts()));
        }

        public Builder settle(Duration settle) {
            if (settle.isNegative()) {
                throw new IllegalArgumentException("settle must not be negative: " + settle);
            }
            return new Builder(new SettingsOverride(values.mode(), values.failOn(), settle, values.scope(),
                    values.ignorePorts(), values.watchPorts()));
        }

        public Builder scope(Scope scope) {
            return new Builder(new SettingsOverride(values.mode(), values.failOn(), values.settle(),
                    scope == Scope.INFERRED ? null : scope, values.ignorePorts(), values.watchPorts()));
        }

        public Builder ignorePorts(int... ports) {
            return new Builder(new SettingsOverride(values.mode(), values.failOn(), values.settle(), values.scope(),
                    SettingsResolver.ports("ignorePorts", ports), values.watchPorts()));
        }

        public Builder watchPorts(int... ports) {
            return new Builder(new SettingsOverride(values.mode(), values.failOn(), values.settle(), values.scope(),
                    values.ignorePorts(), SettingsResolver.ports("watchPorts", ports)));
        }

        public SocketLeakExtension build() {
            return new SocketLeakExtension(values, Sockets::isSupported);
        }
    }
}
