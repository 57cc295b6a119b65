package io.github.sockleak.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README must stand in {@link ReadmeSnippets} or in the consumer project's test, line by line
 * and in order (indentation aside, and a nested class's {@code static}; a snippet may leave out a few lines, such as
 * a set-up method), with the imports it needs; every XML block must stand in the consumer project's {@code pom.xml},
 * which CI builds. So a README example cannot drift from code that compiles and runs.
 */
@DisplayName("The README shows its snippets as they compile and build")
class ReadmeSnippetsTest {

    /** How many source lines a snippet may leave out between two of its lines. */
    private static final int MAX_LEFT_OUT = 12;
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src", "test", "java", "io", "github", "sockleak", "examples",
            "readme", "ReadmeSnippets.java");
    private static final Path CONSUMER_TEST = Path.of("..", "consumer", "src", "test", "java", "com", "example",
            "FirstLeakCheckTest.java");
    private static final Path CONSUMER_POM = Path.of("..", "consumer", "pom.xml");

    @Test
    @DisplayName("each ```java block of README.md appears in ReadmeSnippets.java or the consumer's test")
    void everyJavaBlockCompiles() throws IOException {
        List<List<String>> sources = List.of(normalised(SNIPPETS), normalised(CONSUMER_TEST));
        List<List<String>> blocks = blocks(Files.readAllLines(README), "java");

        assertThat(blocks).as("Java blocks in the README").isNotEmpty();
        for (List<String> block : blocks) {
            assertThat(sources.stream().anyMatch(source -> containsInOrder(source, code(block))))
                    .as("README block not found, in order, in %s or %s:%n%s", SNIPPETS, CONSUMER_TEST,
                            String.join("\n", block))
                    .isTrue();
        }
    }

    @Test
    @DisplayName("each ```java block of README.md imports what it uses, as the code it stands in does")
    void everyJavaBlockHasItsImports() throws IOException {
        List<String> snippetImports = imports(normalised(SNIPPETS));
        List<String> consumerImports = imports(normalised(CONSUMER_TEST));
        for (List<String> block : blocks(Files.readAllLines(README), "java")) {
            List<String> sourceImports = containsInOrder(normalised(CONSUMER_TEST), code(block)) ? consumerImports
                    : snippetImports;
            String code = String.join("\n", code(block));
            List<String> needed = sourceImports.stream()
                    .filter(line -> Pattern.compile("\\b" + Pattern.quote(simpleName(line)) + "\\b").matcher(code).find())
                    .collect(Collectors.toList());
            assertThat(imports(block)).as("imports of the README block:%n%s", String.join("\n", block))
                    .containsExactlyInAnyOrderElementsOf(needed);
        }
    }

    @Test
    @DisplayName("each ```xml block of README.md appears in consumer/pom.xml, which CI builds")
    void everyXmlBlockIsBuilt() throws IOException {
        List<String> pom = normalised(CONSUMER_POM);
        List<List<String>> blocks = blocks(Files.readAllLines(README), "xml");

        assertThat(blocks).as("XML blocks in the README").isNotEmpty();
        for (List<String> block : blocks) {
            assertThat(containsInOrder(pom, block))
                    .as("README block not found, in order, in %s:%n%s", CONSUMER_POM, String.join("\n", block))
                    .isTrue();
        }
    }

    private static List<String> normalised(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(ReadmeSnippetsTest::normalise).collect(Collectors.toList());
    }

    private static List<List<String>> blocks(List<String> readme, String language) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.trim().equals("```" + language)) {
                current = new ArrayList<>();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null && !line.isBlank()) {
                current.add(normalise(line));
            }
        }
        return blocks;
    }

    private static List<String> imports(List<String> lines) {
        return lines.stream().filter(line -> line.startsWith("import ")).collect(Collectors.toList());
    }

    /** A block without its imports: they stand at the top of the source, away from the code they serve. */
    private static List<String> code(List<String> block) {
        return block.stream().filter(line -> !line.startsWith("import ")).collect(Collectors.toList());
    }

    /** {@code import static a.B.c;} gives {@code c}, {@code import a.B;} gives {@code B}. */
    private static String simpleName(String importLine) {
        String name = importLine.substring(0, importLine.length() - 1);
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /**
     * The lines of {@code block} in order at some place of {@code source}, each within a few lines of the one
     * before: a README snippet may leave out what the reader does not need (a field, a set-up method).
     */
    private static boolean containsInOrder(List<String> source, List<String> block) {
        List<String> code = source.stream().filter(line -> !line.isEmpty()).collect(Collectors.toList());
        for (int start = 0; start < code.size(); start++) {
            if (code.get(start).equals(block.get(0)) && followsFrom(code, start + 1, block.subList(1, block.size()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean followsFrom(List<String> code, int from, List<String> rest) {
        int position = from;
        for (String line : rest) {
            int found = -1;
            for (int i = position; i < Math.min(code.size(), position + MAX_LEFT_OUT + 1); i++) {
                if (code.get(i).equals(line)) {
                    found = i;
                    break;
                }
            }
            if (found < 0) {
                return false;
            }
            position = found + 1;
        }
        return true;
    }

    private static String normalise(String line) {
        String trimmed = line.trim();
        return trimmed.startsWith("static class ") ? trimmed.substring("static ".length()) : trimmed;
    }
}
