package dev.camelollama.job;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The option and header tables in README.md and the component doc are generated from the component's metadata
 * (ollama.json); this keeps them exact when an option or header is added or reworded.
 */
class DocsMatchMetadataTest {

    private static final String REGENERATE = " - regenerate the tables with: "
            + "mvn -q process-classes && mvn -q test-compile exec:java -Dexec.mainClass=dev.camelollama.docs.DocTables";

    private static JsonNode metadata;
    private static String readme;
    private static String adoc;

    @BeforeAll
    static void load() throws IOException {
        metadata = new ObjectMapper().readTree(
                Path.of("src/generated/resources/META-INF/dev/camelollama/ollama.json").toFile());
        readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        adoc = Files.readString(Path.of("src/main/docs/ollama-component.adoc"), StandardCharsets.UTF_8);
    }

    @Test
    void readmeListsEveryEndpointOptionWithItsDefaultAndDescription() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> option : entries(metadata.get("properties"))) {
            checkRow(readme, "| `" + option.getKey() + "`", option, true, problems);
        }
        for (String name : List.of("maxTotalConnections", "connectionsPerRoute")) {
            JsonNode option = metadata.get("componentProperties").get(name);
            checkRow(readme, "| `" + name + "`", Map.entry(name, option), true, problems);
        }
        assertTrue(problems.isEmpty(), "README.md option table is out of date: " + problems + REGENERATE);
    }

    @Test
    void readmeListsEveryHeader() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> header : entries(metadata.get("headers"))) {
            String row = rowStartingWith(readme, "| `" + header.getKey() + "`");
            if (row == null) {
                problems.add(header.getKey() + " missing");
            } else if (!row.contains(header.getValue().get("description").asText().replace("|", "\\|"))) {
                problems.add(header.getKey() + " description differs");
            }
        }
        assertTrue(problems.isEmpty(), "README.md header table is out of date: " + problems + REGENERATE);
    }

    @Test
    void componentDocListsEveryOptionAndHeader() {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> option : entries(metadata.get("componentProperties"))) {
            checkRow(adoc, "| *" + option.getKey() + "* (", option, false, problems);
        }
        for (Map.Entry<String, JsonNode> option : entries(metadata.get("properties"))) {
            checkRow(adoc, "| *" + option.getKey() + "* (", option, false, problems);
        }
        for (Map.Entry<String, JsonNode> header : entries(metadata.get("headers"))) {
            if (rowStartingWith(adoc, "| *" + header.getKey() + "* (") == null) {
                problems.add("header " + header.getKey() + " missing");
            }
        }
        assertTrue(problems.isEmpty(), "ollama-component.adoc tables are out of date: " + problems + REGENERATE);
    }

    private static void checkRow(String doc, String rowStart, Map.Entry<String, JsonNode> option, boolean quotedDefault,
            List<String> problems) {
        String name = option.getKey();
        List<String> rows = rowsStartingWith(doc, rowStart);
        if (rows.isEmpty()) {
            problems.add(name + " missing");
            return;
        }
        String description = option.getValue().get("description").asText();
        if (name.equals("lazyStartProducer") || name.equals("autowiredEnabled")) {
            description = description.substring(0, description.indexOf(". ") + 1);   // Camel's standard text, cut
        }
        String escaped = description.replace("|", "\\|");
        JsonNode defaultValue = option.getValue().get("defaultValue");
        String expectedDefault = defaultValue == null ? null
                : quotedDefault ? "`" + defaultValue.asText() + "`" : "| " + defaultValue.asText() + " |";
        boolean found = rows.stream().anyMatch(row -> row.contains(escaped)
                                                     && (expectedDefault == null || row.contains(expectedDefault)));
        if (!found) {
            problems.add(name + " row differs (description or default " + expectedDefault + ")");
        }
    }

    private static String rowStartingWith(String doc, String start) {
        List<String> rows = rowsStartingWith(doc, start);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<String> rowsStartingWith(String doc, String start) {
        List<String> rows = new ArrayList<>();
        for (String line : doc.split("\n")) {
            if (line.startsWith(start)) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext();) {
            list.add(it.next());
        }
        return list;
    }
}
