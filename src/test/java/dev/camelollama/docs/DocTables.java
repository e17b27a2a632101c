package dev.camelollama.docs;

// Regenerate the tables after adding or changing an option or header (from the repository root):
//
//   mvn -q process-classes && mvn -q test-compile exec:java -Dexec.mainClass=dev.camelollama.docs.DocTables
//
// process-classes refreshes ollama.json from the code; DocTables then rewrites the tables. DocsMatchMetadataTest fails
// while they are out of date.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes the option and header tables of README.md and src/main/docs/ollama-component.adoc from the component's
 * generated metadata, ollama.json. Only the text between the marker comments is replaced (README:
 * {@code <!-- options:start -->}, {@code <!-- component-options:start -->}, {@code <!-- headers:start -->}; adoc:
 * {@code // component-options:start}, {@code // endpoint-options:start}, {@code // headers:start}, each with its
 * {@code :end}); everything else in both files is left as it is. An optional argument is the repository root
 * (default: the working directory).
 */
public final class DocTables {

    public static final String COMMAND
            = "mvn -q process-classes && mvn -q test-compile exec:java -Dexec.mainClass=dev.camelollama.docs.DocTables";

    static final String METADATA = "src/generated/resources/META-INF/dev/camelollama/ollama.json";
    static final String README = "README.md";
    static final String ADOC = "src/main/docs/ollama-component.adoc";

    /** Camel's own options whose long standard description is cut to its first sentence. */
    private static final List<String> CAMEL_STANDARD = List.of("lazyStartProducer", "autowiredEnabled");

    /** Component-only options that are not worth a README row (Camel's standard ones, the nested configuration). */
    private static final List<String> README_COMPONENT_SKIP = List.of("autowiredEnabled", "configuration");

    /**
     * The order of the README's endpoint option groups: what an option does first, then how calls are made. A group
     * not listed here goes just before "timeouts" (several such groups by name).
     */
    private static final List<String> README_GROUP_ORDER = List.of(
            "common", "generation", "conversation", "embed", "management", "timeouts", "redelivery", "advanced");

    private DocTables() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        JsonNode metadata = new ObjectMapper().readTree(root.resolve(METADATA).toFile());

        Path readme = root.resolve(README);
        String original = Files.readString(readme, StandardCharsets.UTF_8);
        String text = replaceRegion(original, "<!-- options:start -->", "<!-- options:end -->", readmeOptions(metadata));
        text = replaceRegion(text, "<!-- component-options:start -->", "<!-- component-options:end -->",
                readmeComponentOptions(metadata));
        text = replaceRegion(text, "<!-- headers:start -->", "<!-- headers:end -->", readmeHeaders(metadata));
        write(readme, original, text);

        Path adoc = root.resolve(ADOC);
        original = Files.readString(adoc, StandardCharsets.UTF_8);
        text = replaceRegion(original, "// component-options:start", "// component-options:end",
                adocComponentOptions(metadata));
        text = replaceRegion(text, "// endpoint-options:start", "// endpoint-options:end", adocEndpointOptions(metadata));
        text = replaceRegion(text, "// headers:start", "// headers:end", adocHeaders(metadata));
        write(adoc, original, text);
    }

    // README.md

    static List<String> readmeOptions(JsonNode metadata) {
        List<Map.Entry<String, JsonNode>> options = entries(metadata.get("properties"));
        // stable: within a group the metadata's order (by name) is kept
        options.sort(Comparator.<Map.Entry<String, JsonNode>> comparingInt(option -> readmeGroupRank(option.getValue()))
                .thenComparing(option -> readmeGroup(option.getValue())));
        List<String> lines = new ArrayList<>();
        lines.add("| Option | Group | Type | Default | Description |");
        lines.add("|---|---|---|---|---|");
        for (Map.Entry<String, JsonNode> option : options) {
            JsonNode o = option.getValue();
            String name = "`" + option.getKey() + "`";
            if ("path".equals(o.path("kind").asText())) {
                name += o.path("required").asBoolean() ? " (path, required)" : " (path)";
            }
            lines.add("| " + name + " | " + readmeGroup(o) + " | " + readmeType(o) + " | " + readmeDefault(o) + " | "
                      + description(option) + " |");
        }
        return lines;
    }

    static List<String> readmeComponentOptions(JsonNode metadata) {
        JsonNode endpointOptions = metadata.get("properties");
        List<String> lines = new ArrayList<>();
        lines.add("| Option | Type | Default | Description |");
        lines.add("|---|---|---|---|");
        for (Map.Entry<String, JsonNode> option : entries(metadata.get("componentProperties"))) {
            if (endpointOptions.has(option.getKey()) || README_COMPONENT_SKIP.contains(option.getKey())) {
                continue;
            }
            JsonNode o = option.getValue();
            lines.add("| `" + option.getKey() + "` | " + readmeType(o) + " | " + readmeDefault(o) + " | "
                      + description(option) + " |");
        }
        return lines;
    }

    static List<String> readmeHeaders(JsonNode metadata) {
        List<String> lines = new ArrayList<>();
        lines.add("| Header | Java constant | Type | Description |");
        lines.add("|---|---|---|---|");
        for (Map.Entry<String, JsonNode> header : entries(metadata.get("headers"))) {
            JsonNode h = header.getValue();
            lines.add("| `" + header.getKey() + "` | `" + constant(h) + "` | `" + h.path("javaType").asText() + "` | "
                      + description(header) + " |");
        }
        return lines;
    }

    private static String readmeGroup(JsonNode option) {
        String group = option.path("group").asText();
        if (group.equals("producer") || group.equals("common")) {
            return "common";
        }
        if (group.endsWith("(advanced)") || group.equals("advanced")) {
            return "advanced";
        }
        return group.equals("timeout") ? "timeouts" : group;
    }

    private static int readmeGroupRank(JsonNode option) {
        int rank = README_GROUP_ORDER.indexOf(readmeGroup(option));
        return rank >= 0 ? 2 * rank : 2 * README_GROUP_ORDER.indexOf("timeouts") - 1;
    }

    private static String readmeType(JsonNode option) {
        String type = option.path("type").asText();
        String javaType = option.path("javaType").asText();
        if (type.equals("enum")) {
            return "enum: " + enumValues(option);
        }
        if (option.has("prefix")) {
            return "map (" + option.get("prefix").asText() + "*)";
        }
        if (javaType.startsWith("java.lang.Class")) {
            return "class name";
        }
        if (type.equals("object")) {
            return simpleName(javaType) + " (bean)";
        }
        return type;
    }

    private static String readmeDefault(JsonNode option) {
        JsonNode value = option.get("defaultValue");
        return value == null ? "" : "`" + value.asText() + "`";
    }

    // ollama-component.adoc

    static List<String> adocComponentOptions(JsonNode metadata) {
        List<Map.Entry<String, JsonNode>> options = entries(metadata.get("componentProperties"));
        List<String> lines = new ArrayList<>();
        lines.add("The Ollama component supports " + options.size() + " options, which are listed below.");
        lines.add("");
        lines.addAll(adocOptionTable(options));
        return lines;
    }

    static List<String> adocEndpointOptions(JsonNode metadata) {
        List<Map.Entry<String, JsonNode>> all = entries(metadata.get("properties"));
        List<Map.Entry<String, JsonNode>> path = all.stream()
                .filter(o -> "path".equals(o.getValue().path("kind").asText())).collect(Collectors.toList());
        List<Map.Entry<String, JsonNode>> query = all.stream()
                .filter(o -> !"path".equals(o.getValue().path("kind").asText())).collect(Collectors.toList());
        List<String> lines = new ArrayList<>();
        lines.add("==== Path Parameters (" + path.size() + " parameters)");
        lines.add("");
        lines.addAll(adocOptionTable(path));
        lines.add("");
        lines.add("==== Query Parameters (" + query.size() + " parameters)");
        lines.add("");
        lines.addAll(adocOptionTable(query));
        return lines;
    }

    static List<String> adocHeaders(JsonNode metadata) {
        List<Map.Entry<String, JsonNode>> headers = entries(metadata.get("headers"));
        List<String> lines = new ArrayList<>();
        lines.add("The Ollama component supports " + headers.size() + " message headers, which are listed below:");
        lines.add("");
        lines.add("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]");
        lines.add("|===");
        lines.add("| Name | Description | Default | Type");
        for (Map.Entry<String, JsonNode> header : headers) {
            JsonNode h = header.getValue();
            lines.add("| *" + header.getKey() + "* (" + h.path("group").asText() + ") +");
            lines.add("*Constant:* `" + constant(h) + "` | " + description(header) + " | " + adocDefault(h) + " | `"
                      + h.path("javaType").asText() + "`");
        }
        lines.add("|===");
        return lines;
    }

    private static List<String> adocOptionTable(List<Map.Entry<String, JsonNode>> options) {
        List<String> lines = new ArrayList<>();
        lines.add("[width=\"100%\",cols=\"2,5,^1,2\",options=\"header\"]");
        lines.add("|===");
        lines.add("| Name | Description | Default | Type");
        for (Map.Entry<String, JsonNode> option : options) {
            JsonNode o = option.getValue();
            lines.add("| *" + option.getKey() + "* (" + o.path("group").asText() + ") | " + description(option) + " | "
                      + adocDefault(o) + " | `" + adocType(o) + "`");
        }
        lines.add("|===");
        return lines;
    }

    private static String adocType(JsonNode option) {
        String type = option.path("type").asText();
        if (type.equals("duration")) {
            return "duration";
        }
        String name = simpleName(option.path("javaType").asText());
        return type.equals("enum") ? name + " (" + enumValues(option) + ")" : name;
    }

    private static String adocDefault(JsonNode node) {
        JsonNode value = node.get("defaultValue");
        return value == null ? "" : escape(value.asText());
    }

    // shared

    private static String description(Map.Entry<String, JsonNode> entry) {
        String description = entry.getValue().path("description").asText().replace('\n', ' ').trim();
        int firstSentence = description.indexOf(". ");
        if (CAMEL_STANDARD.contains(entry.getKey()) && firstSentence > 0) {
            description = description.substring(0, firstSentence + 1);   // Camel's standard text, cut
        }
        return escape(description);
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    /** dev.camelollama.OllamaConstants#MODEL becomes OllamaConstants.MODEL. */
    private static String constant(JsonNode header) {
        String constant = header.path("constantName").asText();
        return simpleName(constant.substring(0, Math.max(constant.indexOf('#'), 0))) + "."
               + constant.substring(constant.indexOf('#') + 1);
    }

    /** java.util.Map<java.lang.String, java.lang.Object> becomes Map. */
    private static String simpleName(String javaType) {
        int generic = javaType.indexOf('<');
        String raw = generic >= 0 ? javaType.substring(0, generic) : javaType;
        return raw.substring(raw.lastIndexOf('.') + 1);
    }

    private static String enumValues(JsonNode option) {
        List<String> values = new ArrayList<>();
        option.path("enum").forEach(value -> values.add(value.asText()));
        return String.join(", ", values);
    }

    private static List<Map.Entry<String, JsonNode>> entries(JsonNode object) {
        return new ArrayList<>(object.properties());   // in the metadata's order
    }

    /** Replaces the lines strictly between the start and end marker lines; the markers stay. */
    static String replaceRegion(String text, String startMarker, String endMarker, List<String> content) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = indexOfLine(lines, startMarker, 0);
        int end = start < 0 ? -1 : indexOfLine(lines, endMarker, start + 1);
        if (start < 0 || end < 0) {
            throw new IllegalStateException("Marker lines '" + startMarker + "' ... '" + endMarker
                                            + "' not found (in this order); put them back around the table");
        }
        if (indexOfLine(lines, startMarker, end + 1) >= 0) {
            throw new IllegalStateException("Marker line '" + startMarker + "' occurs more than once");
        }
        lines.subList(start + 1, end).clear();
        lines.addAll(start + 1, content);
        return String.join("\n", lines);
    }

    private static int indexOfLine(List<String> lines, String marker, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }

    private static void write(Path file, String original, String text) throws IOException {
        if (!text.equals(original)) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            System.out.println("[docs] rewrote the tables in " + file.normalize());
        } else {
            System.out.println("[docs] " + file.normalize() + " is up to date");
        }
    }
}
