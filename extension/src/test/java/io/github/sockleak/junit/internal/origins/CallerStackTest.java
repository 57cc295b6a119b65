package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CallerStack: the frames a person wants to read")
class CallerStackTest {

    @Test
    @DisplayName("starts past the JDK's socket classes, leaves sockleak's frames out, and stops at the test framework")
    void trims() {
        Throwable capture = stack(
                frame("io.github.sockleak.junit.internal.origins.OriginRecorder", "onOpened"),
                frame("io.github.sockleak.junit.internal.bootstrap.SocketEvents", "opened"),
                frame("java.net.ServerSocket", "accept"),
                frame("com.example.Server", "serve"),
                frame("java.util.concurrent.ThreadPoolExecutor", "runWorker"),
                frame("com.example.ServerTest", "leaks"),
                frame("jdk.internal.reflect.NativeMethodAccessorImpl", "invoke"),
                frame("org.junit.platform.commons.util.ReflectionUtils", "invokeMethod"),
                frame("com.example.SomethingBelowJUnit", "run"));

        assertThat(CallerStack.of(capture)).extracting(StackTraceElement::getClassName)
                .containsExactly("com.example.Server", "java.util.concurrent.ThreadPoolExecutor", "com.example.ServerTest");
    }

    @Test
    @DisplayName("keeps the sockleak test helpers, which are callers like any other")
    void keepsTestHelpers() {
        Throwable capture = stack(frame("java.net.Socket", "connect"), frame("io.github.sockleak.testing.Loopback", "connect"));

        assertThat(CallerStack.of(capture)).extracting(StackTraceElement::getClassName).containsExactly("io.github.sockleak.testing.Loopback");
    }

    @Test
    @DisplayName("keeps the whole stack, however deep")
    void whole() {
        List<StackTraceElement> deep = IntStream.range(0, 100).mapToObj(i -> frame("com.example.Deep", "level" + i)).collect(Collectors.toList());

        assertThat(CallerStack.of(stack(deep.toArray(new StackTraceElement[0])))).hasSize(100);
    }

    @Test
    @DisplayName("shows the application's frames and folds a library's runs and the JDK's into a line each")
    void folds() {
        List<StackTraceElement> frames = new ArrayList<>();
        IntStream.range(0, 9).forEach(i -> frames.add(frame("org.apache.hc.core5.http.impl.io.Part" + i, "call")));
        IntStream.range(0, 4).forEach(i -> frames.add(frame("org.apache.hc.client5.http.impl.classic.Step" + i, "execute")));
        frames.add(frame("com.example.OrderClient", "fetch"));
        frames.add(frame("java.util.concurrent.CompletableFuture", "supplyAsync"));
        frames.add(frame("java.util.concurrent.CompletableFuture$AsyncSupply", "run"));
        frames.add(frame("com.zaxxer.hikari.pool.HikariPool", "getConnection"));
        frames.add(frame("com.example.OrderClientTest", "fetches"));

        assertThat(CallerStack.lines(frames, type -> type.startsWith("com.example."))).containsExactly(
                "... 13 org.apache.hc frames",
                "at com.example.OrderClient.fetch(OrderClient.java:42)",
                "... 2 JDK frames",
                "at com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:42)",
                "at com.example.OrderClientTest.fetches(OrderClientTest.java:42)");
    }

    @Test
    @DisplayName("shows the first library frames unfolded where none is the application's")
    void onlyLibrary() {
        List<StackTraceElement> frames = new ArrayList<>();
        IntStream.range(0, 20).forEach(i -> frames.add(frame("okhttp3.internal.connection.Step" + i, "run")));
        frames.add(frame("java.lang.Thread", "run"));

        List<String> lines = CallerStack.lines(frames, type -> false);

        assertThat(lines).hasSize(CallerStack.LIBRARY_ONLY_FRAMES + 2);
        assertThat(lines.get(0)).isEqualTo("at okhttp3.internal.connection.Step0.run(Step0.java:42)");
        assertThat(lines.subList(CallerStack.LIBRARY_ONLY_FRAMES, lines.size()))
                .containsExactly("... 4 okhttp3.internal.connection frames", "... 1 JDK frame");
    }

    @Test
    @DisplayName("tells the application's classes, loaded from a directory, from a library's and the JDK's")
    void applicationCode() {
        assertThat(ApplicationCode.INSTANCE.test(CallerStackTest.class.getName())).isTrue();
        assertThat(ApplicationCode.INSTANCE.test(Test.class.getName())).as("JUnit, from a jar").isFalse();
        assertThat(ApplicationCode.INSTANCE.test(String.class.getName())).as("the JDK").isFalse();
        assertThat(ApplicationCode.INSTANCE.test("com.example.Missing")).isFalse();
        Runnable lambda = () -> { };
        assertThat(ApplicationCode.INSTANCE.test(lambda.getClass().getName())).as("a lambda of this class").isTrue();
    }

    private static StackTraceElement frame(String type, String method) {
        return new StackTraceElement(type, method, type.substring(type.lastIndexOf('.') + 1) + ".java", 42);
    }

    private static Throwable stack(StackTraceElement... frames) {
        Throwable capture = new Throwable();
        capture.setStackTrace(frames);
        return capture;
    }
}
