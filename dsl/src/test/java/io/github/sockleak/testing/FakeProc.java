package io.github.sockleak.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A procfs look-alike in a directory: {@code net/tcp}, {@code net/tcp6} and {@code self/fd} links, for
 * {@code new ProcfsSocketSource(root)}. The rows captured from a real kernel live in
 * {@code src/test/resources/proc/captured} (its README says how they were made). Close it before the directory
 * goes, so that JUnit's {@code @TempDir} does not warn about the links that point at {@code /dev/null}.
 */
public final class FakeProc implements AutoCloseable {

    private static final String CAPTURED = "/proc/captured/";

    private final Path root;

    public FakeProc(Path root) {
        this.root = root;
    }

    /** A captured file, as bytes. */
    public static byte[] captured(String name) {
        try (InputStream in = FakeProc.class.getResourceAsStream(CAPTURED + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + CAPTURED + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A captured file, as text. */
    public static String capturedText(String name) {
        return new String(captured(name), StandardCharsets.US_ASCII);
    }

    public Path root() {
        return root;
    }

    /** The captured {@code net/tcp}, {@code net/tcp6} and the capturing process's descriptors. */
    public FakeProc allCaptured() {
        return tcp(captured("net/tcp")).tcp6(captured("net/tcp6")).capturedFds();
    }

    public FakeProc tcp(byte[] content) {
        return write("net/tcp", content);
    }

    public FakeProc tcp6(byte[] content) {
        return write("net/tcp6", content);
    }

    /** A descriptor: {@code self/fd/<fd>} linking to {@code target}, as the kernel shows {@code socket:[INODE]}. */
    public FakeProc fd(int fd, String target) {
        try {
            Path fds = Files.createDirectories(root.resolve("self/fd"));
            Files.createSymbolicLink(fds.resolve(Integer.toString(fd)), Path.of(target));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The descriptors of {@code self-fd.txt}: lines {@code 3 -> socket:[55920]}. */
    public FakeProc capturedFds() {
        for (String line : capturedText("self-fd.txt").split("\n")) {
            String[] link = line.split(" -> ", 2);
            fd(Integer.parseInt(link[0]), link[1]);
        }
        return this;
    }

    private FakeProc write(String name, byte[] content) {
        try {
            Path file = root.resolve(name);
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes the descriptor links, never what they point at. */
    @Override
    public void close() {
        Path fds = root.resolve("self/fd");
        if (!Files.isDirectory(fds)) {
            return;
        }
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path link : links) {
                Files.delete(link);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
