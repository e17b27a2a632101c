package dev.camelollama;

import java.util.Locale;

/** {@code think}: a boolean or one of Ollama's levels; anything else is refused before the request (Ollama: 400). */
final class ThinkSetting {

    private ThinkSetting() {
    }

    static Object parse(Object value, String source) {
        if (value == null) {
            return null;
        }
        if (value instanceof Boolean) {
            return value;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "" -> null;
            case "true", "false" -> Boolean.parseBoolean(text);
            case "low", "medium", "high", "max" -> text;
            default -> throw new IllegalArgumentException(source + " is '" + value
                                                          + "'; use true, false, low, medium, high or max");
        };
    }
}
