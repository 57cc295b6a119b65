package io.github.sockleak.junit.internal.origins;

/** Turns an installation failure into a sentence that says what is wrong and what to do. */
final class AttachDiagnosis {

    private AttachDiagnosis() {
    }

    /** Why attaching the agent to this JVM failed. */
    static String ofAttach(Throwable error) {
        if (isMissingByteBuddy(error)) {
            return missingByteBuddy(error);
        }
        return "this JVM could not attach an agent to itself (" + describe(error) + "): a runtime without the"
                + " jdk.attach module, or -XX:+DisableAttachMechanism. Start the tests with -javaagent:sockleak-junit.jar instead";
    }

    /** Why installing the agent failed once an {@code Instrumentation} was at hand. */
    static String of(Throwable error) {
        if (isMissingByteBuddy(error)) {
            return missingByteBuddy(error);
        }
        return "the origin agent could not be installed (" + describe(error) + ")";
    }

    private static boolean isMissingByteBuddy(Throwable error) {
        return error instanceof NoClassDefFoundError && String.valueOf(error.getMessage()).startsWith("net/bytebuddy");
    }

    private static String missingByteBuddy(Throwable error) {
        return "byte-buddy or byte-buddy-agent is missing from the test class path (" + describe(error) + "); both are"
                + " dependencies of sockleak-junit: check that the build did not exclude them";
    }

    private static String describe(Throwable error) {
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}
