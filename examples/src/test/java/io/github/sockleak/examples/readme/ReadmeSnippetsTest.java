package io.github.sockleak.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every Java block of the README must stand in {@link ReadmeSnippets}, line by line and in order (indentation
 * aside, and a nested class's {@code static}; a snippet may leave out a few lines, such as a set-up method), so a README example cannot drift from code that compiles and runs.
 */
@DisplayName("The README shows its Java snippets as they compile")
class ReadmeSnippetsTest {

    /** How many source lines a snippet may leave out between two of its lines. */
    private static final int MAX_LEFT_OUT = 12;
    private static final Path README = Path.of("..", "README.md");
    private static final Path SNIPPETS = Path.of("src", "test", "java", "io", "github", "sockleak", "examples",
            "readme", "ReadmeSnippets.java");

    @Test
    @DisplayName("each ```java block of README.md appears in ReadmeSnippets.java")
    void everyJavaBlockCompiles() throws IOException {
        List<String> source = Files.readAllLines(SNIPPETS).stream().map(ReadmeSnippetsTest::normalise)
                .collect(Collectors.toList());
        List<List<String>> blocks = javaBlocks(Files.readAllLines(README));

        assertThat(blocks).as("Java blocks in the README").isNotEmpty();
        for (List<String> block : blocks) {
            assertThat(containsInOrder(source, block))
                    .as("README block not found, in order, in %s:%n%s", SNIPPETS, String.join("\n", block))
                    .isTrue();
        }
    }

    private static List<List<String>> javaBlocks(List<String> readme) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.trim().equals("```java")) {
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
