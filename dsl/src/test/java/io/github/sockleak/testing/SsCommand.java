package io.github.sockleak.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** {@code ss} itself (iproute2), run as a separate process: what the snapshots are compared with. */
public final class SsCommand {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private SsCommand() {
    }

    /** {@code ss} on the PATH, or where distributions put it. */
    public static Optional<Path> find() {
        return ExternalListener.executable("ss");
    }

    /**
     * The socket lines of {@code ss -tanHe FILTER}: one per socket, no header, no continuation lines.
     *
     * @throws AssertionError when {@code ss} fails or does not end in time, with what it printed on stderr
     */
    public static List<String> tanHe(Path ss, String filter) {
        try {
            File errors = File.createTempFile("ss-tan", ".err");
            try {
                Process process = new ProcessBuilder(ss.toString(), "-tanHe", filter)
                        .redirectError(errors)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(ss + " did not end within " + PATIENCE);
                }
                if (process.exitValue() != 0) {
                    throw new AssertionError(ss + " -tanHe '" + filter + "' failed with " + process.exitValue() + ": "
                            + Files.readString(errors.toPath()));
                }
                return output.lines()
                        .filter(line -> !line.isBlank() && !line.startsWith("State") && !Character.isWhitespace(line.charAt(0)))
                        .collect(Collectors.toList());
            } finally {
                Files.deleteIfExists(errors.toPath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for ss", e);
        }
    }
}
