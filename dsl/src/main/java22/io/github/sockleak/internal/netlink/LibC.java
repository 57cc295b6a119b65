package io.github.sockleak.internal.netlink;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The C library calls the netlink sources need, each returning -1 and setting {@code errno} on failure; the JVM
 * captures {@code errno} right after the call, before anything else can overwrite it.
 *
 * <p>Creating these handles is restricted: only {@link NetlinkSocketSource#create()} initialises this class, after
 * it has checked that native access is enabled.
 */
final class LibC {

    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    /** With {@code recv}: return a datagram's real length even when it did not fit, so a cut reply is seen. */
    static final int MSG_TRUNC = 0x20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SENDTO = function("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECV = function("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKNAME = function("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETPEERNAME = function("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKOPT = function("getsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    /** glibc 2.28 and later; older C libraries have no {@code statx}, and callers do without it. */
    private static final Optional<MethodHandle> STATX = optionalFunction("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));

    /** Where the JVM writes {@code errno} after each call, one per confined arena (and so per thread). */
    private final MemorySegment callState;

    LibC(Arena arena) {
        this.callState = arena.allocate(CAPTURE_LAYOUT);
    }

    int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(callState, domain, type, protocol);
        } catch (Throwable e) {
            throw unexpected("socket", e);
        }
    }

    long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address, int addressLength) {
        try {
            return (long) SENDTO.invokeExact(callState, fd, buffer, length, flags, address, addressLength);
        } catch (Throwable e) {
            throw unexpected("sendto", e);
        }
    }

    long recv(int fd, MemorySegment buffer, long length, int flags) {
        try {
            return (long) RECV.invokeExact(callState, fd, buffer, length, flags);
        } catch (Throwable e) {
            throw unexpected("recv", e);
        }
    }

    int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(callState, fd);
        } catch (Throwable e) {
            throw unexpected("close", e);
        }
    }

    /** @param length a {@code socklen_t}: the room in {@code address} before the call, the address's length after */
    int getsockname(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETSOCKNAME.invokeExact(callState, fd, address, length);
        } catch (Throwable e) {
            throw unexpected("getsockname", e);
        }
    }

    int getpeername(int fd, MemorySegment address, MemorySegment length) {
        try {
            return (int) GETPEERNAME.invokeExact(callState, fd, address, length);
        } catch (Throwable e) {
            throw unexpected("getpeername", e);
        }
    }

    int getsockopt(int fd, int level, int option, MemorySegment value, MemorySegment length) {
        try {
            return (int) GETSOCKOPT.invokeExact(callState, fd, level, option, value, length);
        } catch (Throwable e) {
            throw unexpected("getsockopt", e);
        }
    }

    /** Whether the C library has {@link #statx}. */
    static boolean hasStatx() {
        return STATX.isPresent();
    }

    /** Only where {@link #hasStatx()}. */
    int statx(int directoryFd, MemorySegment path, int flags, int mask, MemorySegment result) {
        try {
            return (int) STATX.orElseThrow().invokeExact(callState, directoryFd, path, flags, mask, result);
        } catch (Throwable e) {
            throw unexpected("statx", e);
        }
    }

    /** The {@code errno} of the last call made through this instance. */
    int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    private static MethodHandle function(String name, FunctionDescriptor descriptor) {
        return optionalFunction(name, descriptor)
                .orElseThrow(() -> new NetlinkException("the C library has no " + name + "()"));
    }

    private static Optional<MethodHandle> optionalFunction(String name, FunctionDescriptor descriptor) {
        return LINKER.defaultLookup().find(name).map(address -> LINKER.downcallHandle(address, descriptor, ERRNO_OPTION));
    }

    private static NetlinkException unexpected(String call, Throwable e) {
        return new NetlinkException("calling " + call + "() failed in the JVM: " + e, e);
    }
}
