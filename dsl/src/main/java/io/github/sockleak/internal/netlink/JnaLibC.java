package io.github.sockleak.internal.netlink;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The C library through JNA, for JDK 17 to 21, which have no final {@code java.lang.foreign}. The functions are
 * bound by JNA's direct mapping (native methods registered once), the fastest way JNA calls C, and JNA keeps each
 * thread's {@code errno} right after the call. Their parameters are all primitives: a pointer is passed as the
 * address a {@code long} holds, which JNA hands to C as it is, where a {@code ByteBuffer} parameter would cost JNA
 * calls back into the JVM for the buffer's address and position (about 0.3 µs per buffer, against 0.5 µs for a
 * whole {@code close(-1)}). The memory is {@code malloc}'d, so its addresses are known, and freed by
 * {@link #close()}: JNA's {@code Memory} would be freed by its own cleaner thread.
 *
 * <p>Netlink uses this class only where the JVM prints no warning for it: JNA loads its native library with
 * {@code System.load}, which JDK 24+ treats as restricted, so on JDK 22+ sockleak uses {@code ForeignLibC} or
 * nothing.
 */
final class JnaLibC implements LibC {

    /**
     * Whether the variadic {@code open} may be called as the fixed call JNA makes of it. On x86-64 and AArch64 Linux
     * the named arguments of a variadic call travel as in a fixed one (x86-64's {@code al}, which bounds the vector
     * registers a variadic callee saves, matters only for arguments {@code open} is not given); other ABIs differ,
     * PowerPC's parameter save area for one.
     */
    private static final boolean FIXED_OPEN_CALL = Set.of("amd64", "x86_64", "aarch64").contains(System.getProperty("os.arch"));

    /**
     * The memory {@link #allocate} took, by the buffer it gave (by identity: a buffer's {@code equals} follows its
     * contents), to pass as addresses and to free.
     */
    private final Map<ByteBuffer, Long> addresses = new IdentityHashMap<>();

    private JnaLibC() {
    }

    /**
     * Opens one instance per call, once JNA has loaded its native library and bound the functions.
     *
     * @throws NetlinkException why JNA cannot call the C library here
     */
    static Supplier<LibC> linked() {
        try {
            Functions.link();
        } catch (LinkageError e) {
            // UnsatisfiedLinkError: no libjnidispatch for this platform, or it could not be unpacked and loaded (a
            // temporary directory mounted noexec); NoClassDefFoundError: an earlier attempt failed the same way.
            throw new NetlinkException("JNA cannot load its native library or bind the C library's functions: " + e, e);
        }
        if (Native.POINTER_SIZE != Long.BYTES) {
            // Pointers, size_t and ssize_t are bound as Java longs.
            throw new NetlinkException("netlink through JNA needs a 64-bit JVM (a pointer has " + Native.POINTER_SIZE
                    + " bytes here)");
        }
        return JnaLibC::new;
    }

    @Override
    public ByteBuffer allocate(int bytes) {
        long address = Native.malloc(bytes);
        if (address == 0) {
            throw new NetlinkException("malloc(" + bytes + ") failed");
        }
        Pointer memory = new Pointer(address);
        memory.clear(bytes);
        ByteBuffer buffer = memory.getByteBuffer(0, bytes);
        addresses.put(buffer, address);
        return buffer;
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return Functions.socket(domain, type, protocol);
    }

    @Override
    public long sendto(int fd, ByteBuffer message, int flags, ByteBuffer address) {
        return Functions.sendto(fd, addressOf(message), message.remaining(), flags, addressOf(address), address.remaining());
    }

    @Override
    public long recv(int fd, ByteBuffer buffer, int flags) {
        return Functions.recv(fd, addressOf(buffer), buffer.remaining(), flags);
    }

    @Override
    public int close(int fd) {
        return Functions.close(fd);
    }

    @Override
    public int open(ByteBuffer path, int flags) {
        return Functions.open(addressOf(path), flags);
    }

    @Override
    public int getsockname(int fd, ByteBuffer address, ByteBuffer length) {
        return Functions.getsockname(fd, addressOf(address), addressOf(length));
    }

    @Override
    public int getpeername(int fd, ByteBuffer address, ByteBuffer length) {
        return Functions.getpeername(fd, addressOf(address), addressOf(length));
    }

    @Override
    public int getsockopt(int fd, int level, int option, ByteBuffer value, ByteBuffer length) {
        return Functions.getsockopt(fd, level, option, addressOf(value), addressOf(length));
    }

    @Override
    public boolean hasStatx() {
        return Statx.LINKED;
    }

    @Override
    public int statx(int directoryFd, ByteBuffer path, int flags, int mask, ByteBuffer result) {
        return Statx.statx(directoryFd, addressOf(path), flags, mask, addressOf(result));
    }

    /** Where {@link Functions#open} can be called as JNA calls it, too: the listing of descriptors needs both. */
    @Override
    public boolean hasGetdents64() {
        return Getdents64.LINKED && FIXED_OPEN_CALL;
    }

    @Override
    public long getdents64(int fd, ByteBuffer buffer) {
        return Getdents64.getdents64(fd, addressOf(buffer), buffer.remaining());
    }

    /** JNA keeps the {@code errno} of each thread's last call: this instance's, as it serves one thread. */
    @Override
    public int errno() {
        return Native.getLastError();
    }

    @Override
    public void close() {
        addresses.values().forEach(Native::free);
        addresses.clear();
    }

    /** Where {@code buffer}'s position is in memory. */
    private long addressOf(ByteBuffer buffer) {
        Long start = addresses.get(buffer);
        if (start == null) {
            throw new IllegalArgumentException("not a buffer of this LibC's: " + buffer);
        }
        return start + buffer.position();
    }

    /** Bound to the functions of the JVM's own process, which has the C library loaded. */
    private static final class Functions {
        static {
            Native.register(Functions.class, NativeLibrary.getProcess());
        }

        private Functions() {
        }

        /** Does nothing but make the JVM initialise this class: load JNA and bind every function, or fail. */
        static void link() {
        }

        static native int socket(int domain, int type, int protocol);

        static native long sendto(int fd, long message, long length, int flags, long address, int addressLength);

        static native long recv(int fd, long buffer, long length, int flags);

        static native int close(int fd);

        /** Variadic in C, for the mode of {@code O_CREAT}; called only where {@link #FIXED_OPEN_CALL}. */
        static native int open(long path, int flags);

        static native int getsockname(int fd, long address, long length);

        static native int getpeername(int fd, long address, long length);

        static native int getsockopt(int fd, int level, int option, long value, long length);
    }

    /** Apart, because a C library older than glibc 2.28 has no {@code statx}, and JNA binds a class whole or not at all. */
    private static final class Statx {
        static final boolean LINKED = bound(Statx.class);

        private Statx() {
        }

        static native int statx(int directoryFd, long path, int flags, int mask, long result);
    }

    /** Apart, as {@link Statx}: {@code getdents64} came with glibc 2.30. */
    private static final class Getdents64 {
        static final boolean LINKED = bound(Getdents64.class);

        private Getdents64() {
        }

        static native long getdents64(int fd, long buffer, long length);
    }

    /** Whether the C library has each native method of {@code functions}: then they are registered. */
    private static boolean bound(Class<?> functions) {
        try {
            Native.register(functions, NativeLibrary.getProcess());
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
