package io.github.sockleak.junit;

/**
 * How the test JVM was started, as the build says ({@code sockleak.test.agentLoading}): with the jar as
 * {@code -javaagent}, able to self-attach quietly, or neither (JDK 21+ without -XX:+EnableDynamicAgentLoading),
 * in which case origins are unavailable and one hint line is expected.
 */
enum AgentLoading {
    JAVAAGENT, SELF_ATTACH, HINT;

    static AgentLoading ofThisJvm() {
        String given = System.getProperty("sockleak.test.agentLoading");
        if (given == null) {
            // Run from an IDE: the JDK's default behaviour.
            return Runtime.version().feature() < 21 ? SELF_ATTACH : HINT;
        }
        return valueOf(given.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    boolean recordsOrigins() {
        return this != HINT;
    }
}
