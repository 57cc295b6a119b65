package io.github.sockleak.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.sockleak.Sockets;
import io.github.sockleak.junit.NoSocketLeaks;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The README's *What is API* lists every public type of the published jars outside {@code internal} packages, and
 * no more; the examples, which users copy, use none of the internal ones.
 */
@DisplayName("The public API is what the README says")
class PublicApiTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path EXAMPLES = Path.of("src", "test", "java");
    private static final Pattern API_LINE = Pattern.compile("^- `(io\\.github\\.sockleak[\\w.]*)`: (.*)$");
    private static final Pattern TYPE = Pattern.compile("`([\\w.]+)`");

    @Test
    @DisplayName("the README's list of public types is the jars' public types outside internal packages")
    void readmeListsThePublicTypes() throws Exception {
        Set<String> published = new TreeSet<>();
        published.addAll(publicTypes(Sockets.class));
        published.addAll(publicTypes(NoSocketLeaks.class));

        assertThat(readmeTypes()).isEqualTo(published);
    }

    @Test
    @DisplayName("no example imports an internal package")
    void examplesImportNoInternalPackage() throws IOException {
        try (Stream<Path> files = Files.walk(EXAMPLES)) {
            List<String> internalImports = files.filter(file -> file.toString().endsWith(".java"))
                    .flatMap(PublicApiTest::lines)
                    .filter(line -> line.startsWith("import ") && line.contains(".internal."))
                    .collect(Collectors.toList());
            assertThat(internalImports).isEmpty();
        }
    }

    private static Set<String> readmeTypes() throws IOException {
        Set<String> types = new TreeSet<>();
        for (String line : Files.readAllLines(README)) {
            Matcher api = API_LINE.matcher(line);
            if (api.matches()) {
                Matcher type = TYPE.matcher(api.group(2));
                while (type.find()) {
                    types.add(api.group(1) + "." + type.group(1));
                }
            }
        }
        return types;
    }

    /** The public types, nested ones as {@code Outer.Inner}, of the jar or class directory that holds {@code anchor}. */
    private static Set<String> publicTypes(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (Files.isDirectory(location)) {
            return publicTypesUnder(location);
        }
        try (FileSystem jar = FileSystems.newFileSystem(location)) {
            return publicTypesUnder(jar.getPath("/"));
        }
    }

    private static Set<String> publicTypesUnder(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(file -> root.relativize(file).toString())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF")
                            && !name.contains("internal/") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .map(PublicApiTest::load)
                    .filter(PublicApiTest::isPublicApi)
                    .map(type -> type.getPackageName() + "." + type.getName()
                            .substring(type.getPackageName().length() + 1).replace('$', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> enclosing = type; enclosing != null; enclosing = enclosing.getDeclaringClass()) {
            if (!Modifier.isPublic(enclosing.getModifiers()) || enclosing.isAnonymousClass()) {
                return false;
            }
        }
        return true;
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
