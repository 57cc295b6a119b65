package io.github.sockleak.junit.internal.origins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the bridges that advice inlined into JDK classes calls ({@link io.github.sockleak.junit.internal.bootstrap.SocketEvents}
 * for sockets, {@link io.github.sockleak.junit.internal.bootstrap.TaskEvents} for executors) into the bootstrap class
 * loader, where the JDK's classes can see them.
 *
 * <p>The classes are defined there directly, with the JDK's internal {@code Unsafe.defineClass} made reachable
 * through the {@link Instrumentation} that the agent holds anyway. Appending a jar to the bootstrap class path, as
 * Mockito does, works too, but JDK 17 then prints "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended": it is only the fallback, for a JDK without that method.
 *
 * <p>The classes are named here as strings on purpose: touching one as a type before it is in the bootstrap loader
 * would load it from the application class path, and the advice would then call a different copy than the
 * listeners extend.
 */
final class BootstrapInjection {

    private static final String PACKAGE = "io.github.sockleak.junit.internal.bootstrap.";
    /** Every class of the bootstrap package, nested ones included. */
    private static final List<String> CLASSES = List.of(PACKAGE + "SocketEvents", PACKAGE + "TaskEvents", PACKAGE + "TaskEvents$TaskKey");
    private static final String INTERNAL_PACKAGE = "jdk.internal.misc";

    private BootstrapInjection() {
    }

    static void inject(Instrumentation instrumentation) throws IOException {
        Map<String, byte[]> missing = new LinkedHashMap<>();
        for (String name : CLASSES) {
            if (!isInBootstrapLoader(name)) { // an earlier installation in this JVM may have put it there
                missing.put(name, classFile(name));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        try {
            define(instrumentation, missing);
        } catch (ReflectiveOperationException | RuntimeException e) {
            append(instrumentation, missing);
        }
        for (String name : CLASSES) {
            if (!isInBootstrapLoader(name)) {
                throw new IllegalStateException("could not put " + name + " into the bootstrap class loader");
            }
        }
    }

    private static void define(Instrumentation instrumentation, Map<String, byte[]> classes) throws ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of(INTERNAL_PACKAGE, Set.of(BootstrapInjection.class.getModule())),
                Map.of(), Set.of(), Map.of());
        Class<?> unsafeType = Class.forName(INTERNAL_PACKAGE + ".Unsafe");
        Object unsafe = unsafeType.getMethod("getUnsafe").invoke(null);
        Method defineClass = unsafeType.getMethod("defineClass",
                String.class, byte[].class, int.class, int.class, ClassLoader.class, ProtectionDomain.class);
        for (Map.Entry<String, byte[]> type : classes.entrySet()) {
            if (!isInBootstrapLoader(type.getKey())) { // a fallback after a partial definition skips what is there
                defineClass.invoke(unsafe, type.getKey(), type.getValue(), 0, type.getValue().length, null, null);
            }
        }
    }

    private static void append(Instrumentation instrumentation, Map<String, byte[]> classes) throws IOException {
        Path jar = Files.createTempFile("sockleak-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, byte[]> type : classes.entrySet()) {
                out.putNextEntry(new JarEntry(type.getKey().replace('.', '/') + ".class"));
                out.write(type.getValue());
                out.closeEntry();
            }
        }
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            instrumentation.appendToBootstrapClassLoaderSearch(jarFile);
        }
    }

    private static byte[] classFile(String name) throws IOException {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = BootstrapInjection.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the class file " + resource + " is not in sockleak-junit's jar");
            }
            return in.readAllBytes();
        }
    }

    private static boolean isInBootstrapLoader(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
