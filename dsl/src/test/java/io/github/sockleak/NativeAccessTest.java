package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.testing.SnapshotSourceProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM's restricted-method warning is printed on stderr by the JVM itself, once, so only a fresh JVM can show
 * whether sockleak triggers it: these tests run {@link SnapshotSourceProbe} in a child JVM of the same JDK.
 */
@DisplayName("Native access")
class NativeAccessTest {

    private static final String RESTRICTED_WARNING = "WARNING: A restricted method";
    private static final String NETLINK_CLASSES = "io.github.sockleak.internal.netlink.";

    @TempDir
    Path dir;

    @Test
    @DisplayName("off: the snapshot comes from /proc, says why, and the JVM prints no restricted-method warning")
    void offMeansProcfsWithoutWarning() throws Exception {
        Child child = run(List.of());

        assertThat(child.stderr).doesNotContain(RESTRICTED_WARNING);
        assertThat(child.stdout).contains("source=PROCFS");
        int jdk = Runtime.version().feature();
        if (jdk >= 22) {
            assertThat(child.stdout).contains("netlink not used: native access is not enabled")
                    .contains("--enable-native-access=ALL-UNNAMED");
            assertThat(child.loadedNetlinkClasses).as("nothing that links C functions was loaded")
                    .noneMatch(name -> name.endsWith(".LibC"));
        } else {
            assertThat(child.stdout).contains("netlink not used: netlink needs JDK 22+ (running " + jdk + ")");
            assertThat(child.loadedNetlinkClasses).as("no JDK 22 class loaded on JDK " + jdk)
                    .noneMatch(name -> name.endsWith(".NetlinkSocketSource") || name.endsWith(".LibC"));
        }
    }

    @Test
    @DisplayName("on (JDK 22+): the snapshot comes from netlink, still without a warning")
    void onMeansNetlink() throws Exception {
        assumeTrue(Runtime.version().feature() >= 22, "netlink needs JDK 22+");

        Child child = run(List.of("--enable-native-access=ALL-UNNAMED"));

        assertThat(child.stderr).doesNotContain(RESTRICTED_WARNING);
        assertThat(child.stdout).contains("source=NETLINK");
        assertThat(child.loadedNetlinkClasses).anyMatch(name -> name.endsWith(".LibC"));
    }

    private Child run(List<String> options) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Path classLog = dir.resolve("classes.txt");
        List<String> command = new ArrayList<>(List.of(java, "-Xlog:class+load=info:file=" + classLog));
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SnapshotSourceProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM %s finished", command).isTrue();
        } finally {
            process.destroyForcibly(); // this child only, by its handle; a no-op once it has exited
        }
        Child child = new Child(Files.readString(stdout), Files.readString(stderr),
                Files.readAllLines(classLog).stream()
                        .filter(line -> line.contains(NETLINK_CLASSES))
                        .map(line -> line.replaceAll(".*\\] (\\S+) source:.*", "$1"))
                        .toList());
        assertThat(process.exitValue()).as("exit code; stderr:%n%s", child.stderr).isZero();
        return child;
    }

    private static final class Child {
        final String stdout;
        final String stderr;
        final List<String> loadedNetlinkClasses;

        Child(String stdout, String stderr, List<String> loadedNetlinkClasses) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.loadedNetlinkClasses = loadedNetlinkClasses;
        }
    }
}
