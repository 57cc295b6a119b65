package io.github.sockleak.junit.internal.origins;

/** Turns an installation failure into a sentence that says what is wrong and what to do. */
final class AttachDiagnosis {

    private AttachDiagnosis() {
    }

    static String of(Throwable error) {
        String cause = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        if (error instanceof NoClassDefFoundError && String.valueOf(error.getMessage()).startsWith("net/bytebuddy")) {
            return "byte-buddy or byte-buddy-agent is missing from the test class path (" + cause + "); both are"
                    + " dependencies of sockleak-junit: check that the build did not exclude them";
        }
        if (error.getClass().getName().equals("java.lang.IllegalStateException") && cause.contains("attach")
                || error instanceof UnsupportedOperationException) {
            return "this JVM could not attach an agent to itself (" + cause + "): a runtime without the jdk.attach"
                    + " module, or -XX:+DisableAttachMechanism. Start the tests with -javaagent:sockleak-junit.jar instead";
        }
        return "the origin agent could not be installed: " + cause;
    }
}
