package io.github.sockleak.junit.internal.origins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@link io.github.sockleak.junit.internal.bootstrap.SocketEvents} into the bootstrap class loader, where the
 * JDK's socket classes can see it.
 *
 * <p>The class is defined there directly, with the JDK's internal {@code Unsafe.defineClass} made reachable through
 * the {@link Instrumentation} that the agent holds anyway. Appending a jar to the bootstrap class path, as Mockito
 * does, works too, but JDK 17 then prints "Sharing is only supported for boot loader classes because bootstrap
 * classpath has been appended": it is only the fallback, for a JDK without that method.
 *
 * <p>The class is named here as a string on purpose: touching it as a type before it is in the bootstrap loader
 * would load it from the application class path, and the advice would then call a different copy than the
 * recorder extends.
 */
final class BootstrapInjection {

    static final String EVENTS_CLASS = "io.github.sockleak.junit.internal.bootstrap.SocketEvents";
    private static final String INTERNAL_PACKAGE = "jdk.internal.misc";

    private BootstrapInjection() {
    }

    static void inject(Instrumentation instrumentation) throws IOException {
        if (isInBootstrapLoader()) {
            return; // an earlier installation in this JVM put it there
        }
        byte[] bytes = classFile();
        try {
            define(instrumentation, bytes);
        } catch (ReflectiveOperationException | RuntimeException e) {
            append(instrumentation, bytes);
        }
        if (!isInBootstrapLoader()) {
            throw new IllegalStateException("could not put " + EVENTS_CLASS + " into the bootstrap class loader");
        }
    }

    private static void define(Instrumentation instrumentation, byte[] bytes) throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(INTERNAL_PACKAGE, Set.of(BootstrapInjection.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName(INTERNAL_PACKAGE + ".Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeType.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
        defineClass.invoke(unsafe, EVENTS_CLASS, bytes, 0, bytes.length, null, null);
    }

    private static void append(Instrumentation instrumentation, byte[] bytes) throws IOException {
        Path jar = Files.createTempFile("sockleak-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry(EVENTS_CLASS.replace('.', '/') + ".class"));
            out.write(bytes);
            out.closeEntry();
        }
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            instrumentation.appendToBootstrapClassLoaderSearch(jarFile);
        }
    }

    private static byte[] classFile() throws IOException {
        String resource = EVENTS_CLASS.replace('.', '/') + ".class";
        try (InputStream in = BootstrapInjection.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the class file " + resource + " is not in sockleak-junit's jar");
            }
            return in.readAllBytes();
        }
    }

    private static boolean isInBootstrapLoader() {
        try {
            Class.forName(EVENTS_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
