package io.github.sockleak.junit.internal.timeline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The distribution's Chromium, run headless on a page as a child process: a screenshot, or the DOM as the browser
 * built it. Each run has a fresh profile and no network features; a run that outlives its deadline is ended with
 * its children, by their process ids.
 */
final class HeadlessChromium {

    static final Path EXECUTABLE = Path.of("/usr/bin/chromium");
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private final Path workFolder;

    /** @param workFolder where each run's profile and output files go */
    HeadlessChromium(Path workFolder) {
        this.workFolder = workFolder;
    }

    static Optional<Path> installed() {
        return Files.isExecutable(EXECUTABLE) ? Optional.of(EXECUTABLE) : Optional.empty();
    }

    /** Saves what a window of {@code width} x {@code height} shows of the page as a PNG. */
    void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
    }

    /** The page's DOM, serialised by the browser after it parsed and laid it out. */
    String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, "--dump-dom");
    }

    /** Runs Chromium on the page and returns what it printed on its standard output. */
    private String run(Path page, String... task) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workFolder, "chromium-profile");
        Path stdout = Files.createTempFile(workFolder, "chromium", ".out");
        Path stderr = Files.createTempFile(workFolder, "chromium", ".err");
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        command.addAll(List.of(task));
        command.add(page.toAbsolutePath().toUri().toString());
        Process chromium = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        try {
            if (!chromium.waitFor(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Chromium did not finish within " + DEADLINE.toSeconds() + " s on " + page
                        + "; its standard error:\n" + tail(stderr));
            }
            if (chromium.exitValue() != 0) {
                throw new IOException("Chromium exited with " + chromium.exitValue() + " on " + page
                        + "; its standard error:\n" + tail(stderr));
            }
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } finally {
            end(chromium);
        }
    }

    /**
     * Ends Chromium and the processes it started (renderer, zygote, utilities), children first, each by its own
     * process id; waits for each with a deadline.
     */
    private static void end(Process chromium) throws InterruptedException {
        if (!chromium.isAlive()) {
            return;
        }
        List<ProcessHandle> family = new ArrayList<>(chromium.descendants().toList());
        family.add(chromium.toHandle());
        for (ProcessHandle process : family) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : family) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("Chromium's process " + process.pid() + " did not end", e);
            }
        }
    }

    private static String tail(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }
}
