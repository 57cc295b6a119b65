package io.github.sockleak.internal.netlink;

import java.util.Map;

/**
 * Names of the Linux {@code errno} values the netlink sources can meet ({@code asm-generic/errno-base.h} and
 * {@code errno.h}, the same on every Linux architecture sockleak runs on), so reasons read {@code EPERM}
 * rather than a bare number. {@code strerror} is not thread-safe, and a name is what people search for.
 */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;
    public static final int ENOTSOCK = 88;
    public static final int EOPNOTSUPP = 95;
    public static final int ENOTCONN = 107;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM (operation not permitted)"),
            Map.entry(ENOENT, "ENOENT (no such entry: is inet_diag/tcp_diag missing from this kernel?)"),
            Map.entry(EINTR, "EINTR (interrupted)"),
            Map.entry(EBADF, "EBADF (bad file descriptor)"),
            Map.entry(11, "EAGAIN (try again)"),
            Map.entry(12, "ENOMEM (out of memory)"),
            Map.entry(EACCES, "EACCES (permission denied)"),
            Map.entry(14, "EFAULT (bad address)"),
            Map.entry(16, "EBUSY (busy)"),
            Map.entry(EINVAL, "EINVAL (invalid argument)"),
            Map.entry(23, "ENFILE (too many open files in the system)"),
            Map.entry(24, "EMFILE (too many open files)"),
            Map.entry(38, "ENOSYS (function not implemented)"),
            Map.entry(ENOTSOCK, "ENOTSOCK (not a socket)"),
            Map.entry(93, "EPROTONOSUPPORT (protocol not supported: no NETLINK_SOCK_DIAG in this kernel?)"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP (operation not supported)"),
            Map.entry(97, "EAFNOSUPPORT (address family not supported)"),
            Map.entry(105, "ENOBUFS (no buffer space available)"),
            Map.entry(ENOTCONN, "ENOTCONN (not connected)"));

    private Errno() {
    }

    /** {@code "EPERM (operation not permitted), errno 1"}; an unknown number stays a number. */
    public static String describe(int errno) {
        return NAMES.getOrDefault(errno, "error") + ", errno " + errno;
    }
}
