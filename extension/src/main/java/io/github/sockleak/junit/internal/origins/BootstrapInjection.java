package io.github.sockleak.junit.internal.origins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@link io.github.sockleak.junit.internal.bootstrap.SocketEvents} on the bootstrap class path, where the JDK's
 * socket classes can see it, by appending a one-class jar written to a temporary file.
 *
 * <p>The class is named here as a string on purpose: touching it as a type before the jar is appended would load
 * it from the application class path, and the advice would then call a different copy than the recorder extends.
 */
final class BootstrapInjection {

    static final String EVENTS_CLASS = "io.github.sockleak.junit.internal.bootstrap.SocketEvents";

    private BootstrapInjection() {
    }

    static void inject(Instrumentation instrumentation) throws IOException {
        if (isOnBootstrapClassPath()) {
            return; // an earlier installation in this JVM put it there
        }
        String resource = EVENTS_CLASS.replace('.', '/') + ".class";
        Path jar = Files.createTempFile("sockleak-bootstrap", ".jar");
        jar.toFile().deleteOnExit();
        try (InputStream bytes = BootstrapInjection.class.getClassLoader().getResourceAsStream(resource)) {
            if (bytes == null) {
                throw new IOException("the class file " + resource + " is not in sockleak-junit's jar");
            }
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
                out.putNextEntry(new JarEntry(resource));
                bytes.transferTo(out);
                out.closeEntry();
            }
        }
        try (JarFile jarFile = new JarFile(jar.toFile())) {
            instrumentation.appendToBootstrapClassLoaderSearch(jarFile);
        }
        if (!isOnBootstrapClassPath()) {
            throw new IllegalStateException("the JVM did not load " + EVENTS_CLASS + " from the jar appended to the"
                    + " bootstrap class path (" + jar + ")");
        }
    }

    private static boolean isOnBootstrapClassPath() {
        try {
            Class.forName(EVENTS_CLASS, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
