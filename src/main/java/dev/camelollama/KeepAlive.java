package dev.camelollama;

import java.util.regex.Pattern;

/**
 * {@code keep_alive} as Ollama takes it: a number of seconds (negative keeps the model loaded, 0 unloads it at once)
 * or a Go duration with units ({@code 10m}, {@code 1h30m}, {@code -1m}). A unitless string such as {@code "300"} is
 * not a Go duration and Ollama rejects it, so plain numbers are sent as JSON numbers.
 */
final class KeepAlive {

    private static final Pattern GO_DURATION = Pattern.compile("[-+]?((\\d+(\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h))+");

    private KeepAlive() {
    }

    /** The value to send, or null for none. */
    static Object parse(Object value, String source) {
        if (value == null) {
            return null;
        }
        if (value instanceof Number number) {
            return number.doubleValue() == Math.rint(number.doubleValue()) ? (Object) number.longValue()
                    : number.doubleValue();
        }
        if (value instanceof java.time.Duration duration) {
            return duration.toMillis() / 1000.0 == Math.rint(duration.toMillis() / 1000.0)
                    ? (Object) (duration.toMillis() / 1000) : duration.toMillis() / 1000.0;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException notWhole) {
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException notNumber) {
                if (GO_DURATION.matcher(text).matches()) {
                    return text;
                }
                throw new IllegalArgumentException(source + " is '" + text + "'; give a duration with a unit (10m, "
                                                   + "1h30m, 24h), a number of seconds, a negative number to keep "
                                                   + "the model loaded, or 0 to unload it at once");
            }
        }
    }
}
