package dev.camelollama;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The documented Ollama payloads in src/test/resources/conformance/ollama, read the same way by every conformance
 * test; each test keeps its own row type for what it needs to know about a payload.
 */
final class ConformancePayloads {

    private static final String FOLDER = "conformance/ollama";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConformancePayloads() {
    }

    /** The cells of each INDEX.tsv row below the header: name, method, path, status, streaming, notes. */
    static List<String[]> indexRows() {
        List<String[]> rows = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(folder().resolve("INDEX.tsv"), StandardCharsets.UTF_8);
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(line.split("\t", -1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    static Path folder() {
        URL index = ConformancePayloads.class.getClassLoader().getResource(FOLDER + "/INDEX.tsv");
        if (index == null || !"file".equals(index.getProtocol())) {
            return Paths.get("src/test/resources", FOLDER);
        }
        try {
            return Paths.get(index.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path responseFile(String name) {
        return folder().resolve(name + ".response.ndjson");
    }

    /** The documented reply, one JSON node per non-blank line. */
    static List<JsonNode> responseLines(String name) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(responseFile(name), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    lines.add(JSON.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** The documented request body, or null when the docs give none. */
    static JsonNode documentedRequest(String name) {
        try {
            String content = Files.readString(folder().resolve(name + ".request.json"), StandardCharsets.UTF_8);
            return content.isBlank() ? null : JSON.readTree(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
