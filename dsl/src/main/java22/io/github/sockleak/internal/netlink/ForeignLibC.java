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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The C library through {@code java.lang.foreign} (JDK 22+). The JVM captures {@code errno} right after each
 * call, before anything else can overwrite it, into memory of this instance's confined arena, which also holds
 * the buffers: one instance serves one read on one thread.
 *
 * <p>Linking the functions is restricted: {@link Downcalls} is initialised only by {@link #linked()}, after it has
 * checked that native access is enabled, so the JVM never prints its restricted-method warning because of sockleak.
 */
public final class ForeignLibC implements LibC {

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment callState = arena.allocate(CAPTURE_LAYOUT);

    private ForeignLibC() {
    }

    /**
     * Opens one instance per call, once native access is known to be enabled for the module holding sockleak and
     * the functions are linked, so a JVM that cannot call them is known before the first snapshot.
     *
     * @throws NetlinkException naming the JVM option that is missing, or why the C library calls cannot be made
     */
    public static Supplier<LibC> linked() {
        Module module = ForeignLibC.class.getModule();
        if (!module.isNativeAccessEnabled()) {
            String name = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            throw new NetlinkException("native access is not enabled for sockleak ("
                    + (module.isNamed() ? "module " + name : "the unnamed module") + "): add --enable-native-access="
                    + name + " to the JVM's options to read the kernel's table over netlink");
        }
        try {
            Downcalls.link();
        } catch (ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new NetlinkException("the C library functions for netlink cannot be linked: "
                    + (e.getCause() == null ? e : e.getCause()), e);
        }
        return ForeignLibC::new;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        return arena.allocate(bytes, 8).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        try {
            return (int) Downcalls.SOCKET.invokeExact(callState, domain, type, protocol);
        } catch (Throwable e) {
            throw unexpected("socket", e);
        }
    }

    @Override
    public long sendto(int fd, ByteBuffer message, int flags, ByteBuffer address) {
        try {
            return (long) Downcalls.SENDTO.invokeExact(callState, fd, MemorySegment.ofBuffer(message), (long) message.remaining(),
                    flags, MemorySegment.ofBuffer(address), address.remaining());
        } catch (Throwable e) {
            throw unexpected("sendto", e);
        }
    }

    @Override
    public long recv(int fd, ByteBuffer buffer, int flags) {
        try {
            return (long) Downcalls.RECV.invokeExact(callState, fd, MemorySegment.ofBuffer(buffer), (long) buffer.remaining(), flags);
        } catch (Throwable e) {
            throw unexpected("recv", e);
        }
    }

    @Override
    public int close(int fd) {
        try {
            return (int) Downcalls.CLOSE.invokeExact(callState, fd);
        } catch (Throwable e) {
            throw unexpected("close", e);
        }
    }

    @Override
    public int open(ByteBuffer path, int flags) {
        try {
            return (int) Downcalls.OPEN.invokeExact(callState, MemorySegment.ofBuffer(path), flags);
        } catch (Throwable e) {
            throw unexpected("open", e);
        }
    }

    @Override
    public int getsockname(int fd, ByteBuffer address, ByteBuffer length) {
        try {
            return (int) Downcalls.GETSOCKNAME.invokeExact(callState, fd, MemorySegment.ofBuffer(address), MemorySegment.ofBuffer(length));
        } catch (Throwable e) {
            throw unexpected("getsockname", e);
        }
    }

    @Override
    public int getpeername(int fd, ByteBuffer address, ByteBuffer length) {
        try {
            return (int) Downcalls.GETPEERNAME.invokeExact(callState, fd, MemorySegment.ofBuffer(address), MemorySegment.ofBuffer(length));
        } catch (Throwable e) {
            throw unexpected("getpeername", e);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length) {
        try {
            return (int) Downcalls.GETSOCKOPT.invokeExact(callState, fd, level, option, MemorySegment.ofBuffer(value),
                    MemorySegment.ofBuffer(length));
        } catch (Throwable e) {
            throw unexpected("getsockopt", e);
        }
    }

    @Override
    public boolean hasStatx() {
        return Downcalls.STATX.isPresent();
    }

    @Override
    public int statx(int directoryFd, ByteBuffer path, int flags, int mask, ByteBuffer result) {
        try {
            return (int) Downcalls.STATX.orElseThrow().invokeExact(callState, directoryFd, MemorySegment.ofBuffer(path), flags, mask,
                    MemorySegment.ofBuffer(result));
        } catch (Throwable e) {
            throw unexpected("statx", e);
        }
    }

    @Override
    public boolean hasGetdents64() {
        return Downcalls.GETDENTS64.isPresent();
    }

    @Override
    public long getdents64(int fd, ByteBuffer buffer) {
        try {
            return (long) Downcalls.GETDENTS64.orElseThrow().invokeExact(callState, fd, MemorySegment.ofBuffer(buffer),
                    (long) buffer.remaining());
        } catch (Throwable e) {
            throw unexpected("getdents64", e);
        }
    }

    @Override
    public int errno() {
        return (int) ERRNO.get(callState, 0L);
    }

    @Override
    public void close() {
        arena.close();
    }

    private static NetlinkException unexpected(String call, Throwable e) {
        return new NetlinkException("calling " + call + "() failed in the JVM: " + e, e);
    }

    /** The handles; creating them is the restricted step. */
    private static final class Downcalls {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

        static final MethodHandle SOCKET = function("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SENDTO = function("sendto",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle RECV = function("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        static final MethodHandle CLOSE = function("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        /** {@code open(const char *, int, ...)}: the mode, for {@code O_CREAT} only, is never passed. */
        static final MethodHandle OPEN = function("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle GETSOCKNAME = function("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle GETPEERNAME = function("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle GETSOCKOPT = function("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        static final Optional<MethodHandle> STATX = optionalFunction("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        static final Optional<MethodHandle> GETDENTS64 = optionalFunction("getdents64",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

        private Downcalls() {
        }

        /** Does nothing but make the JVM initialise this class: link every function, or fail. */
        static void link() {
        }

        private static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
            return optionalFunction(name, descriptor, options)
                    .orElseThrow(() -> new NetlinkException("the C library has no " + name + "()"));
        }

        /** Each call captures {@code errno}, besides {@code options}. */
        private static Optional<MethodHandle> optionalFunction(String name, FunctionDescriptor descriptor,
                                                               Linker.Option... options) {
            Linker.Option[] withErrno = Arrays.copyOf(options, options.length + 1);
            withErrno[options.length] = ERRNO_OPTION;
            return LINKER.defaultLookup().find(name).map(address -> LINKER.downcallHandle(address, descriptor, withErrno));
        }
    }
}
