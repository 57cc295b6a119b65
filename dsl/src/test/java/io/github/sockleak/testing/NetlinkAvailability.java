package io.github.sockleak.testing;

import io.github.sockleak.SnapshotSource;
import io.github.sockleak.SocketSnapshot;
import io.github.sockleak.Sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Whether this test JVM must be able to read netlink: JDK 17 to 21 with JNA on the class path (sockleak-dsl
 * depends on it), JDK 22+ with native access enabled for the class path (the build's jdk22 profile turns it on).
 * Where it must, a netlink that does not work fails the test instead of skipping it.
 */
public final class NetlinkAvailability {

    private NetlinkAvailability() {
    }

    public static void assumeNetlinkExpected() {
        int jdk = Runtime.version().feature();
        if (jdk >= 22) {
            assumeTrue(nativeAccessEnabled(), "native access is not enabled for the class path");
        } else {
            assumeTrue(jnaOnClassPath(), "JNA is not on the class path");
        }
        SocketSnapshot probe = Sockets.snapshot();
        assertThat(probe.source()).as("JDK %d with %s must read netlink; reason given: %s", jdk,
                        jdk >= 22 ? "native access" : "JNA", probe.sourceReason())
                .isEqualTo(SnapshotSource.NETLINK);
    }

    /** {@code Module.isNativeAccessEnabled()} exists from JDK 22 only, so it is called by name. */
    private static boolean nativeAccessEnabled() {
        try {
            return (Boolean) Module.class.getMethod("isNativeAccessEnabled").invoke(NetlinkAvailability.class.getModule());
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Whether JNA is on this JVM's class path: a build may leave it out to run the suite on {@code /proc}. */
    public static boolean jnaOnClassPath() {
        try {
            Class.forName("com.sun.jna.Native", false, NetlinkAvailability.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
