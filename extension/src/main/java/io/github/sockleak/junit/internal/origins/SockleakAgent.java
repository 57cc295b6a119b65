package io.github.sockleak.junit.internal.origins;

import java.lang.instrument.Instrumentation;

/**
 * The entry point named in sockleak-junit's manifest ({@code Premain-Class}, {@code Agent-Class}), for
 * {@code -javaagent:sockleak-junit.jar}. It must never throw: an exception from {@code premain} stops the JVM.
 * With {@code -Dsockleak.origins=off} it only keeps the {@link Instrumentation}, in case origins are asked for later.
 */
public final class SockleakAgent {

    private SockleakAgent() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, "-javaagent");
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) {
        start(instrumentation, "agent loaded at run time");
    }

    private static void start(Instrumentation instrumentation, String how) {
        try {
            boolean off = "off".equalsIgnoreCase(System.getProperty("sockleak.origins", "").trim());
            OriginAgent.startedWith(instrumentation, how, !off);
        } catch (Throwable e) {
            // Kept by OriginAgent when it can; otherwise the extension finds no agent and says so.
        }
    }
}
