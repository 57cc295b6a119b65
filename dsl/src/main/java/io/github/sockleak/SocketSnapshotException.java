package io.github.sockleak;

/**
 * The kernel's socket table could not be read: no {@code /proc} (not Linux), a file that is not what the
 * kernel writes, or an I/O error. The message says which file and why.
 */
public class SocketSnapshotException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * The kernel's table could not be read as expected.
     *
     * @param message the report
     */
    public SocketSnapshotException(String message) {
        super(message);
    }

    /**
     * The kernel's table could not be read as expected.
     *
     * @param message the report
     * @param cause what the kernel interface threw
     */
    public SocketSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
