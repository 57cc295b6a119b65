package io.github.sockleak.junit.internal.origins;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Optional;
import net.bytebuddy.agent.ByteBuddyAgent;

/**
 * Installs the origin agent once per JVM and remembers how that went, like Mockito's inline mock maker: the
 * {@link Instrumentation} comes from {@code -javaagent} ({@link SockleakAgent}) when given, otherwise from attaching
 * to this JVM where that is quiet ({@link AttachPolicy}). An installation error is kept, not thrown: the extension
 * carries on without origins, or rethrows it with the diagnosis when origins were required.
 */
public final class OriginAgent {

    private static Instrumentation fromCommandLine;
    private static String commandLineHow;
    private static OriginsStatus status = OriginsStatus.NOT_TRIED;
    private static Origins origins;

    private OriginAgent() {
    }

    /** From {@code premain}/{@code agentmain}: install now, so that sockets opened before any test are known too. */
    static synchronized void startedWith(Instrumentation instrumentation, String how, boolean install) {
        fromCommandLine = instrumentation;
        commandLineHow = how;
        if (install) {
            status = install(instrumentation, how);
        }
    }

    /**
     * Installs the agent if nobody has tried yet: with the {@code -javaagent}'s instrumentation, or by
     * attaching to this JVM where that is quiet. Never throws.
     */
    public static synchronized OriginsStatus ensureInstalled() {
        if (status.state() != OriginsStatus.State.NOT_TRIED) {
            return status;
        }
        if (fromCommandLine != null) {
            status = install(fromCommandLine, commandLineHow);
            return status;
        }
        Optional<String> refusal = AttachPolicy.refusal();
        if (refusal.isPresent()) {
            status = OriginsStatus.refused(AttachPolicy.hint(refusal.get()));
            return status;
        }
        Instrumentation attached;
        try {
            attached = ByteBuddyAgent.install();
        } catch (Throwable e) {
            status = OriginsStatus.failed("self-attach", AttachDiagnosis.ofAttach(e), e);
            return status;
        }
        status = install(attached, "self-attach");
        return status;
    }

    public static synchronized OriginsStatus status() {
        return status;
    }

    /** What the agent knows, once it is active. */
    public static synchronized Optional<Origins> origins() {
        return Optional.ofNullable(origins);
    }

    private static OriginsStatus install(Instrumentation instrumentation, String how) {
        try {
            if (!instrumentation.isRetransformClassesSupported()) {
                throw new IllegalStateException("this JVM cannot retransform loaded classes"
                        + (how.equals("-javaagent") ? " (is Can-Retransform-Classes: true in the agent jar's manifest?)" : ""));
            }
            BootstrapInjection.inject(instrumentation);
            Origins started = Origins.start();
            TaskCarrier.register();
            JdkInstrumentation.install(instrumentation);
            LibraryInstrumentation.install(instrumentation);
            selfCheck(started);
            origins = started;
            return OriginsStatus.active(how);
        } catch (Throwable e) {
            return OriginsStatus.failed(how, AttachDiagnosis.of(e), e);
        }
    }

    /** Opens a listener on loopback and expects the agent to have seen it: proof that the advice calls the recorder. */
    private static void selfCheck(Origins started) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            if (started.ofListener((InetSocketAddress) probe.getLocalSocketAddress()).isEmpty()) {
                throw new IllegalStateException("the JDK's socket classes were instrumented, but a ServerSocket bound on"
                        + " loopback reached no recorder (JDK " + Runtime.version() + ")");
            }
        }
    }
}
