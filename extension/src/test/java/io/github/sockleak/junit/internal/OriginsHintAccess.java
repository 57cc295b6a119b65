package io.github.sockleak.junit.internal;

/** What the tests in other packages ask of {@link OriginsHint}, which keeps it package-private: no user needs it. */
public final class OriginsHintAccess {

    private OriginsHintAccess() {
    }

    /** How many times the hint was printed in this JVM. */
    public static int printed() {
        return OriginsHint.printed();
    }
}
