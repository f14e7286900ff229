package org.stillpoint.contracts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AsyncAPI document parses with the AsyncAPI project's own parser, every schema reference resolved from the files
 * alone. Runs where {@code npm ci} has installed the parser in {@code contracts/asyncapi} (CI does, the README says how);
 * skipped elsewhere.
 */
class AsyncApiParserTest {

    private static final Path CHECK = Path.of("asyncapi");

    @Test
    void theStandardParserAcceptsTheDocumentWithoutAnError() throws IOException, InterruptedException {
        assumeTrue(Files.isDirectory(CHECK.resolve("node_modules/@asyncapi/parser")),
                   "the parser is not installed: cd contracts/asyncapi && npm ci");
        Process node = new ProcessBuilder("node", "check.mjs", "../src/main/resources/asyncapi.yaml")
                .directory(CHECK.toFile()).redirectErrorStream(true).start();
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).as("the parser finishes").isTrue();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.exitValue()).as(output).isZero();
        assertThat(output).contains("0 error(s)", "document parsed");
    }
}
