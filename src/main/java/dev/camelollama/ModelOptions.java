package dev.camelollama;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ollama's model options with the JSON type each must have. Ollama answers a wrongly typed option with HTTP 500
 * ({@code "num_ctx":"4096"} fails while scheduling), so values are converted here and a value that cannot be
 * converted is refused before any request, naming the option. Unknown keys pass through (Ollama ignores them
 * with a warning), typed as numbers or booleans when they look like one.
 */
final class ModelOptions {

    private enum Kind { INTEGER, NUMBER, BOOLEAN, STRING_LIST }

    private static final Map<String, Kind> KNOWN = Map.ofEntries(
            Map.entry("num_ctx", Kind.INTEGER), Map.entry("num_batch", Kind.INTEGER),
            Map.entry("num_gpu", Kind.INTEGER), Map.entry("main_gpu", Kind.INTEGER),
            Map.entry("use_mmap", Kind.BOOLEAN), Map.entry("num_thread", Kind.INTEGER),
            Map.entry("draft_num_predict", Kind.INTEGER), Map.entry("num_keep", Kind.INTEGER),
            Map.entry("seed", Kind.INTEGER), Map.entry("num_predict", Kind.INTEGER),
            Map.entry("top_k", Kind.INTEGER), Map.entry("top_p", Kind.NUMBER), Map.entry("min_p", Kind.NUMBER),
            Map.entry("typical_p", Kind.NUMBER), Map.entry("repeat_last_n", Kind.INTEGER),
            Map.entry("temperature", Kind.NUMBER), Map.entry("repeat_penalty", Kind.NUMBER),
            Map.entry("presence_penalty", Kind.NUMBER), Map.entry("frequency_penalty", Kind.NUMBER),
            Map.entry("stop", Kind.STRING_LIST));

    /** Options that make Ollama reload the model when they change between requests. */
    static final List<String> LOAD_TIME = List.of("num_ctx", "num_batch", "num_gpu", "main_gpu", "use_mmap",
            "num_thread");

    private ModelOptions() {
    }

    /**
     * Converts every value to the JSON type Ollama expects.
     *
     * @param source names where the options came from, for the error message (e.g. "options." or a header)
     */
    static Map<String, Object> typed(Map<String, ?> raw, String source) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, ?> entry : raw.entrySet()) {
            typed.put(entry.getKey(), typedValue(entry.getKey(), entry.getValue(), source));
        }
        return typed;
    }

    static Object typedValue(String key, Object value, String source) {
        if (value == null) {
            return null;
        }
        Kind kind = KNOWN.get(key);
        if (kind == null) {
            return value instanceof String text ? guess(text) : value;
        }
        return switch (kind) {
            case INTEGER -> integer(key, value, source);
            case NUMBER -> number(key, value, source);
            case BOOLEAN -> bool(key, value, source);
            case STRING_LIST -> stringList(value);
        };
    }

    private static Object integer(String key, Object value, String source) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, source, "a whole number, e.g. " + key + "=4096");
        }
    }

    private static Object number(String key, Object value, String source) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            double parsed = Double.parseDouble(value.toString().trim());
            if (Double.isNaN(parsed) || Double.isInfinite(parsed)) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw invalid(key, value, source, "a number, e.g. " + key + "=0.7");
        }
    }

    private static Object bool(String key, Object value, String source) {
        if (value instanceof Boolean) {
            return value;
        }
        String text = value.toString().trim();
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(key, value, source, "true or false");
    }

    private static Object stringList(Object value) {
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>(list.size());
            list.forEach(item -> strings.add(String.valueOf(item)));
            return strings;
        }
        if (value instanceof String[] array) {
            return List.of(array);
        }
        List<String> strings = new ArrayList<>();
        for (String part : value.toString().split(",")) {
            if (!part.isEmpty()) {
                strings.add(part);
            }
        }
        return strings;
    }

    private static Object guess(String text) {
        String trimmed = text.trim();
        if ("true".equalsIgnoreCase(trimmed) || "false".equalsIgnoreCase(trimmed)) {
            return Boolean.parseBoolean(trimmed);
        }
        try {
            return Long.parseLong(trimmed);
        } catch (NumberFormatException notLong) {
            try {
                double number = Double.parseDouble(trimmed);
                if (!Double.isNaN(number) && !Double.isInfinite(number)) {
                    return number;
                }
            } catch (NumberFormatException notNumber) {
                // a plain string
            }
        }
        return text;
    }

    private static IllegalArgumentException invalid(String key, Object value, String source, String expected) {
        return new IllegalArgumentException("The Ollama option " + source + key + " is '" + value + "'; it must be "
                                            + expected + " (Ollama answers HTTP 500 to a wrongly typed option)");
    }
}
