package io.github.sockleak.junit.internal.origins;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import java.util.Properties;

/**
 * Whether sockleak may load its agent into the running JVM, and what to tell users when it may not.
 *
 * <p>Since JDK 21 (JEP 451) the JVM prints a warning when an agent is loaded into it while it runs, unless
 * {@code -XX:+EnableDynamicAgentLoading} was given explicitly; a later JDK will refuse. A test library must not
 * make a build print JVM warnings, so there sockleak does not attach: it says once how to add the agent at
 * start-up instead.
 */
final class AttachPolicy {

    private static final int FIRST_WARNING_JDK = 21;

    private AttachPolicy() {
    }

    /** Empty when attaching is quiet here; otherwise why sockleak will not attach. */
    static Optional<String> refusal() {
        int feature = Runtime.version().feature();
        if (feature < FIRST_WARNING_JDK || dynamicAgentLoadingAllowedExplicitly()) {
            return Optional.empty();
        }
        return Optional.of("JDK " + feature + " warns when an agent is loaded into a running JVM unless"
                + " -XX:+EnableDynamicAgentLoading is given");
    }

    /** The one line printed when origins are unavailable: what is missing and how to add the agent. */
    static String hint(String why) {
        String version = version();
        return "sockleak: leak reports will not say where sockets were opened (" + why + "). To record it, start the"
                + " tests with the agent, in Surefire: <argLine>-javaagent:${settings.localRepository}/io/github/sockleak/sockleak-junit/"
                + version + "/sockleak-junit-" + version + ".jar</argLine> (or -javaagent:${io.github.sockleak:sockleak-junit:jar}"
                + " after maven-dependency-plugin's properties goal). Set sockleak.origins=off to silence this line.";
    }

    private static boolean dynamicAgentLoadingAllowedExplicitly() {
        try {
            VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("EnableDynamicAgentLoading");
            // The flag is on by default; only an explicit setting silences the warning.
            return Boolean.parseBoolean(option.getValue()) && option.getOrigin() != VMOption.Origin.DEFAULT;
        } catch (RuntimeException | LinkageError e) {
            // No jdk.management module, or no such flag: fall back to the command line.
            return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+EnableDynamicAgentLoading");
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = AttachPolicy.class.getResourceAsStream("sockleak-junit.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // fall through to the placeholder: the hint stays useful with VERSION in it
        }
        return properties.getProperty("version", "VERSION");
    }
}
