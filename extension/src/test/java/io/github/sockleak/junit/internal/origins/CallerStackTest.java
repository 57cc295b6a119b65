package io.github.sockleak.junit.internal.origins;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CallerStack: the frames a person wants to read")
class CallerStackTest {

    @Test
    @DisplayName("drops the JDK's, byte-buddy's and sockleak's frames and stops at the test framework")
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
                .containsExactly("com.example.Server", "com.example.ServerTest");
    }

    @Test
    @DisplayName("keeps the sockleak test helpers, which are callers like any other")
    void keepsTestHelpers() {
        Throwable capture = stack(frame("java.net.Socket", "connect"), frame("io.github.sockleak.testing.Loopback", "connect"));

        assertThat(CallerStack.of(capture)).extracting(StackTraceElement::getClassName).containsExactly("io.github.sockleak.testing.Loopback");
    }

    @Test
    @DisplayName("keeps at most " + CallerStack.MAX_FRAMES + " frames")
    void bounded() {
        List<StackTraceElement> deep = IntStream.range(0, 100).mapToObj(i -> frame("com.example.Deep", "level" + i)).collect(Collectors.toList());

        assertThat(CallerStack.of(stack(deep.toArray(new StackTraceElement[0])))).hasSize(CallerStack.MAX_FRAMES);
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
