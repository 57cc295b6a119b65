package io.github.sockleak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.sockleak.testing.NetlinkAvailability;
import io.github.sockleak.testing.SnapshotSourceProbe;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a JVM calls C for netlink, and that it never makes the JVM print a warning. The JVM prints its
 * restricted-method and JNI warnings on stderr itself, once, so only a fresh JVM can show whether sockleak
 * triggers one: these tests run {@link SnapshotSourceProbe} in a child JVM of the same JDK, and read which of
 * sockleak's netlink classes and JNA's it loaded.
 */
@DisplayName("Native access")
class NativeAccessTest {

    private static final String JVM_WARNING = "WARNING:";
    private static final String NETLINK_CLASSES = "io.github.sockleak.internal.netlink.";
    private static final String JNA_CLASSES = "com.sun.jna.";
    private static final String FOREIGN_LIBC = NETLINK_CLASSES + "ForeignLibC";
    private static final int JDK = Runtime.version().feature();

    @TempDir
    Path dir;

    @Test
    @DisplayName("off (JDK 22+): the snapshot comes from /proc and says why; nothing links C functions, JNA is not loaded")
    void offMeansProcfsWithoutWarning() throws Exception {
        assumeTrue(JDK >= 22, "native access matters from JDK 22");

        Child child = run(List.of(), classPath());

        assertThat(child.stderr).doesNotContain(JVM_WARNING);
        assertThat(child.stdout).contains("source=PROCFS")
                .contains("netlink not used: native access is not enabled")
                .contains("--enable-native-access=ALL-UNNAMED");
        assertThat(child.loadedClasses).as("nothing that links C functions was loaded")
                .noneMatch(name -> name.startsWith(FOREIGN_LIBC + "$Downcalls") || name.startsWith(JNA_CLASSES));
    }

    @Test
    @DisplayName("on (JDK 22+): the snapshot comes from netlink through java.lang.foreign, still without a warning")
    void onMeansNetlink() throws Exception {
        assumeTrue(JDK >= 22, "java.lang.foreign is final from JDK 22");

        Child child = run(List.of("--enable-native-access=ALL-UNNAMED"), classPath());

        assertThat(child.stderr).doesNotContain(JVM_WARNING);
        assertThat(child.stdout).contains("source=NETLINK").contains("(JDK 22+, native access enabled)");
        assertThat(child.loadedClasses).anyMatch(name -> name.equals(FOREIGN_LIBC + "$Downcalls"))
                .noneMatch(name -> name.startsWith(JNA_CLASSES));
    }

    @Test
    @DisplayName("JDK 17 to 21: the snapshot comes from netlink through JNA, without a warning or a JDK 22 class")
    void jnaBeforeJdk22() throws Exception {
        assumeTrue(JDK < 22, "JNA is for JDK 17 to 21");
        assumeTrue(NetlinkAvailability.jnaOnClassPath(), "this build left JNA off the test class path");

        Child child = run(List.of(), classPath());

        assertThat(child.stderr).doesNotContain(JVM_WARNING);
        assertThat(child.stdout).contains("source=NETLINK").contains("(JNA on JDK " + JDK + ")");
        assertThat(child.loadedClasses).as("no JDK 22 class loaded on JDK " + JDK)
                .noneMatch(name -> name.startsWith(FOREIGN_LIBC))
                .contains(NETLINK_CLASSES + "JnaLibC");
    }

    @Test
    @DisplayName("JDK 17 to 21 without JNA on the class path: the snapshot comes from /proc and says why")
    void withoutJna() throws Exception {
        assumeTrue(JDK < 22, "JNA is for JDK 17 to 21");
        assumeTrue(NetlinkAvailability.jnaOnClassPath(), "this build left JNA off the test class path");
        String withoutJna = Arrays.stream(classPath().split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("jna-"))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(withoutJna).as("the JNA jar was on the class path").isNotEqualTo(classPath());

        Child child = run(List.of(), withoutJna);

        assertThat(child.stderr).doesNotContain(JVM_WARNING);
        assertThat(child.stdout).contains("source=PROCFS")
                .contains("netlink not used: JNA (net.java.dev.jna:jna) is not on the class path");
        assertThat(child.loadedClasses).noneMatch(name -> name.startsWith(FOREIGN_LIBC) || name.contains(".JnaLibC"));
    }

    @Test
    @DisplayName("JDK 17 to 21 where JNA cannot load its native library: the snapshot comes from /proc and says why")
    void jnaWithoutItsNativeLibrary() throws Exception {
        assumeTrue(JDK < 22, "JNA is for JDK 17 to 21");
        assumeTrue(NetlinkAvailability.jnaOnClassPath(), "this build left JNA off the test class path");

        // As where the temporary directory is mounted noexec: JNA may not unpack the library from its jar.
        Child child = run(List.of("-Djna.nounpack=true", "-Djna.nosys=true"), classPath());

        assertThat(child.stderr).doesNotContain(JVM_WARNING);
        assertThat(child.stdout).contains("source=PROCFS")
                .contains("netlink not used: JNA cannot load its native library or bind the C library's functions:"
                        + " java.lang.UnsatisfiedLinkError");
    }

    private static String classPath() {
        return System.getProperty("java.class.path");
    }

    private Child run(List<String> options, String classPath) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");
        Path classLog = dir.resolve("classes.txt");
        List<String> command = new ArrayList<>(List.of(java, "-Xlog:class+load=info:file=" + classLog));
        command.addAll(options);
        command.addAll(List.of("-cp", classPath, SnapshotSourceProbe.class.getName()));
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM %s finished", command).isTrue();
        } finally {
            process.destroyForcibly(); // this child only, by its handle; a no-op once it has exited
        }
        Child child = new Child(Files.readString(stdout), Files.readString(stderr),
                Files.readAllLines(classLog).stream()
                        .filter(line -> line.contains(NETLINK_CLASSES) || line.contains(JNA_CLASSES))
                        .map(line -> line.replaceAll(".*\\] (\\S+) source:.*", "$1"))
                        .collect(Collectors.toList()));
        assertThat(process.exitValue()).as("exit code; stderr:%n%s", child.stderr).isZero();
        return child;
    }

    private static final class Child {
        final String stdout;
        final String stderr;
        final List<String> loadedClasses;

        Child(String stdout, String stderr, List<String> loadedClasses) {
            this.stdout = stdout;
            this.stderr = stderr;
            this.loadedClasses = loadedClasses;
        }
    }
}
