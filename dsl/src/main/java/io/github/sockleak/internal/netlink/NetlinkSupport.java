package io.github.sockleak.internal.netlink;

import io.github.sockleak.internal.OwnSocketSource;
import io.github.sockleak.internal.ProcfsSocketSource;
import io.github.sockleak.internal.SocketSource;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Whether this JVM can read the kernel's table over netlink, and how it calls the C library for it, decided once:
 *
 * <ul>
 *   <li>JDK 22+: {@code java.lang.foreign}, only when native access is enabled for sockleak's module. Calling a
 *       restricted method without it makes the JVM print a warning (and a future JDK will refuse), and sockleak
 *       must never be the reason a user's build prints one. JNA is no way round that: JDK 24+ warns about the
 *       {@code System.load} of its native library alike. The classes are compiled for JDK 22 into
 *       {@code META-INF/versions/22} and looked up by name, so an older JVM never tries to load them.</li>
 *   <li>JDK 17 to 21: JNA, a dependency of sockleak-dsl, when it is on the class path and its native library
 *       loads. These JDKs print no warning for it.</li>
 * </ul>
 *
 * Everything above the system calls is shared ({@link LibC}).
 */
public final class NetlinkSupport {

    /** The first JDK with a final {@code java.lang.foreign}. */
    private static final int FOREIGN_JDK = 22;
    private static final String FOREIGN_LIBC_CLASS = "io.github.sockleak.internal.netlink.ForeignLibC";
    private static final String JNA_CLASS = "com.sun.jna.Native";

    /** The netlink sources (the namespace's whole table, and this process's sockets), or why there are none. */
    public static final class Availability {
        private final SocketSource source;
        private final OwnSocketSource ownSource;
        private final String how;
        private final String reason;

        private Availability(SocketSource source, OwnSocketSource ownSource, String how, String reason) {
            this.source = source;
            this.ownSource = ownSource;
            this.how = how;
            this.reason = reason;
        }

        /** @param how how the sources call the C library ({@code "JNA on JDK 17"}), for a snapshot's {@code sourceReason()} */
        public static Availability of(SocketSource source, OwnSocketSource ownSource, String how) {
            return new Availability(Objects.requireNonNull(source), Objects.requireNonNull(ownSource), Objects.requireNonNull(how), "");
        }

        public static Availability unavailable(String reason) {
            return new Availability(null, null, "", Objects.requireNonNull(reason));
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

        /** How netlink calls the C library, for a snapshot's {@code sourceReason()}; empty when it cannot. */
        public String how() {
            return how;
        }

        /** Why netlink cannot be used, for a snapshot's {@code sourceReason()}; empty when it can. */
        public String reason() {
            return reason;
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
        Supplier<LibC> libc;
        try {
            libc = linked(jdk);
        } catch (NetlinkException e) {
            return Availability.unavailable(e.getMessage());
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("netlink could not be set up: " + e);
        }
        ProcfsSocketSource procfs = ProcfsSocketSource.system();
        return Availability.of(new NetlinkSocketSource(procfs, libc), new NetlinkOwnSocketSource(procfs, libc),
                jdk >= FOREIGN_JDK ? "JDK " + FOREIGN_JDK + "+, native access enabled" : "JNA on JDK " + jdk);
    }

    /**
     * The C library as JDK {@code jdk} reaches it: through {@code java.lang.foreign} from JDK 22, through JNA before.
     *
     * @throws NetlinkException when it cannot be reached, saying why
     */
    static Supplier<LibC> linked(int jdk) {
        return jdk >= FOREIGN_JDK ? foreign() : jna(jdk);
    }

    /** {@code ForeignLibC.linked()}, by name. */
    @SuppressWarnings("unchecked")
    private static Supplier<LibC> foreign() {
        Class<?> foreignLibC;
        try {
            foreignLibC = Class.forName(FOREIGN_LIBC_CLASS, false, NetlinkSupport.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NetlinkException("this sockleak-dsl has no netlink classes for JDK " + FOREIGN_JDK + "+: it was built"
                    + " with a JDK older than " + FOREIGN_JDK + ", or is not on the class path as its multi-release jar");
        }
        try {
            return (Supplier<LibC>) foreignLibC.getMethod("linked").invoke(null);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof NetlinkException ? (NetlinkException) cause
                    : new NetlinkException("netlink could not be set up: " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new NetlinkException("netlink could not be set up: " + e, e);
        }
    }

    private static Supplier<LibC> jna(int jdk) {
        try {
            Class.forName(JNA_CLASS, false, NetlinkSupport.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NetlinkException("JNA (net.java.dev.jna:jna) is not on the class path: JDK " + jdk
                    + " calls the C library through it (JDK " + FOREIGN_JDK + "+ needs no JNA)");
        }
        return JnaLibC.linked();
    }
}
