package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.SocketSource;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;

/**
 * Whether this JVM can read the kernel's table over netlink, decided once. Base code (JDK 17) never links to
 * the netlink source: it is compiled for JDK 22 into {@code META-INF/versions/22} and is looked up by name only
 * on a JDK 22+ runtime, so an older JVM never tries to load it.
 *
 * <p>The source itself refuses to start unless native access is enabled for sockleak's module: calling a
 * restricted method without it makes the JVM print a warning (and a future JDK will refuse), and sockleak must
 * never be the reason a user's build prints one.
 */
public final class NetlinkSupport {

    /** The first JDK with a final {@code java.lang.foreign}. */
    public static final int MINIMUM_JDK = 22;
    static final String SOURCE_CLASS = "io.github.sockleak.internal.netlink.NetlinkSocketSource";
    static final String OWN_SOURCE_CLASS = "io.github.sockleak.internal.netlink.NetlinkOwnSocketSource";

    /** The netlink sources (the namespace's whole table, and this process's sockets), or why there are none. */
    public static final class Availability {
        private final SocketSource source;
        private final OwnSocketSource ownSource;
        private final String reason;

        private Availability(SocketSource source, OwnSocketSource ownSource, String reason) {
            this.source = source;
            this.ownSource = ownSource;
            this.reason = reason;
        }

        public static Availability of(SocketSource source, OwnSocketSource ownSource) {
            return new Availability(Objects.requireNonNull(source), Objects.requireNonNull(ownSource), null);
        }

        public static Availability unavailable(String reason) {
            return new Availability(null, null, Objects.requireNonNull(reason));
        }

        public boolean isAvailable() {
            return source != null;
        }

        /** @throws IllegalStateException when netlink is not available */
        public SocketSource source() {
            if (source == null) {
                throw new IllegalStateException("netlink is not available: " + reason);
            }
            return source;
        }

        /** @throws IllegalStateException when netlink is not available */
        public OwnSocketSource ownSource() {
            if (ownSource == null) {
                throw new IllegalStateException("netlink is not available: " + reason);
            }
            return ownSource;
        }

        /** Why netlink cannot be used, for a snapshot's {@code sourceReason()}; empty when it can. */
        public String reason() {
            return reason == null ? "" : reason;
        }
    }

    private NetlinkSupport() {
    }

    public static Availability availability() {
        return Holder.AVAILABILITY;
    }

    /** Decides on first use only: a JVM that never snapshots never looks for netlink. */
    private static final class Holder {
        static final Availability AVAILABILITY = load(Runtime.version().feature());
    }

    static Availability load(int jdk) {
        if (jdk < MINIMUM_JDK) {
            return Availability.unavailable("netlink needs JDK " + MINIMUM_JDK + "+ (running " + jdk + ")");
        }
        Class<?> sourceClass;
        Class<?> ownSourceClass;
        try {
            sourceClass = Class.forName(SOURCE_CLASS, false, NetlinkSupport.class.getClassLoader());
            ownSourceClass = Class.forName(OWN_SOURCE_CLASS, false, NetlinkSupport.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return Availability.unavailable("this sockleak-dsl has no netlink classes: it was built with a JDK older"
                    + " than " + MINIMUM_JDK + ", or is not on the class path as its multi-release jar");
        }
        try {
            return Availability.of((SocketSource) sourceClass.getMethod("create").invoke(null),
                    (OwnSocketSource) ownSourceClass.getMethod("create").invoke(null));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            return Availability.unavailable(cause instanceof NetlinkException ? cause.getMessage()
                    : "netlink could not be set up: " + cause);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Availability.unavailable("netlink could not be set up: " + e);
        }
    }
}
