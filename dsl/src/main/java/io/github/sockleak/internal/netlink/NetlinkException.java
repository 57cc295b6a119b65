package io.github.sockleak.internal.netlink;

import io.github.sockleak.SocketSnapshotException;

/**
 * The netlink source could not give a complete, trustworthy table: a refused call (errno), a reply the kernel
 * cut or that does not parse, or netlink not usable in this JVM at all. Automatic source selection falls back to
 * {@code /proc} and keeps {@link #getMessage()} as the reason.
 */
public class NetlinkException extends SocketSnapshotException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    public NetlinkException(String message) {
        this(message, 0);
    }

    /** @param errno the {@code errno} the kernel answered with, 0 when the failure is not an errno */
    public NetlinkException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public NetlinkException(String message, Throwable cause) {
        super(message, cause);
        this.errno = 0;
    }

    /** A failed system call: {@code "recv: EPERM (operation not permitted), errno 1"}. */
    public static NetlinkException ofErrno(String call, int errno) {
        return new NetlinkException(call + ": " + Errno.describe(errno), errno);
    }

    public int errno() {
        return errno;
    }
}
