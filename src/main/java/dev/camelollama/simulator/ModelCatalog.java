package dev.camelollama.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The models the simulator pretends to have, matched as Ollama matches names: case-insensitively, with a missing
 * tag meaning {@code :latest}.
 */
final class ModelCatalog {

    static final ModelCatalog DEFAULT = of("llama3.2", "llama3.2:latest", "qwen3", "nomic-embed-text");

    /** Matching key (lower case, tagged) to display name (as configured, tagged). */
    private final Map<String, String> models;

    private ModelCatalog(Map<String, String> models) {
        this.models = models;
    }

    static ModelCatalog of(String... names) {
        Map<String, String> models = new LinkedHashMap<>();
        for (String name : names) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("model names must not be blank");
            }
            String tagged = withTag(name.trim());
            models.putIfAbsent(tagged.toLowerCase(Locale.ROOT), tagged);
        }
        return new ModelCatalog(Collections.unmodifiableMap(models));
    }

    boolean contains(String requested) {
        return models.containsKey(withTag(requested.trim()).toLowerCase(Locale.ROOT));
    }

    List<String> names() {
        return new ArrayList<>(models.values());
    }

    /** The body of {@code GET /api/tags}; sizes and digests are derived from the name so they never change. */
    String tagsJson() {
        ObjectNode root = SimulatorJson.object();
        ArrayNode list = root.putArray("models");
        for (String name : names()) {
            String digest = sha256(name);
            ObjectNode model = list.addObject();
            model.put("name", name);
            model.put("model", name);
            model.put("modified_at", "2025-01-01T00:00:00Z");
            model.put("size", 1_000_000_000L + (Integer.toUnsignedLong(name.hashCode()) % 1_000_000_000L));
            model.put("digest", digest);
            ObjectNode details = model.putObject("details");
            String family = family(name);
            details.put("parent_model", "");
            details.put("format", "gguf");
            details.put("family", family);
            details.putArray("families").add(family);
            details.put("parameter_size", "3.2B");
            details.put("quantization_level", "Q4_K_M");
        }
        return SimulatorJson.write(root);
    }

    private static String withTag(String name) {
        int lastSlash = name.lastIndexOf('/');
        return name.indexOf(':', lastSlash + 1) < 0 ? name + ":latest" : name;
    }

    private static String family(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        int colon = base.indexOf(':');
        return colon < 0 ? base : base.substring(0, colon);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder(64);
            for (byte b : hash) {
                hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
            }
            return hex.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
