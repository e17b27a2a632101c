package dev.camelollama;

import java.math.BigDecimal;

/**
 * {@code logprobs} and {@code top_logprobs}: a wrong value is refused before the request (Ollama answers 400 to a
 * {@code top_logprobs} outside 0-20), and because Ollama ignores {@code top_logprobs} unless {@code logprobs} is
 * true, a {@code top_logprobs} above 0 turns {@code logprobs} on when it was not given; given as false it is
 * refused, since Ollama would then silently return no log probabilities at all.
 */
final class LogprobsSetting {

    static final int MAX_TOP_LOGPROBS = 20;

    private LogprobsSetting() {
    }

    /** A logprobs flag: a Boolean or the text true/false; null or blank for none. */
    static Boolean flag(Object value, String source) {
        if (value == null || value instanceof Boolean) {
            return (Boolean) value;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        if ("true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)) {
            return Boolean.parseBoolean(text);
        }
        throw new IllegalArgumentException(source + " is '" + value + "'; use true or false");
    }

    /** A top_logprobs count: a whole number from 0 to 20 (a Number or its text); null or blank for none. */
    static Integer top(Object value, String source) {
        if (value == null) {
            return null;
        }
        String text = value.toString().trim();
        if (text.isEmpty()) {
            return null;
        }
        BigDecimal number;
        try {
            number = new BigDecimal(text);
        } catch (NumberFormatException notANumber) {
            throw outOfRange(source, value);
        }
        if (number.signum() < 0 || number.compareTo(BigDecimal.valueOf(MAX_TOP_LOGPROBS)) > 0
            || number.stripTrailingZeros().scale() > 0) {
            throw outOfRange(source, value);
        }
        return number.intValueExact();
    }

    /**
     * The logprobs value to send: as given, or true when {@code top} is above 0 and logprobs was not given.
     *
     * @throws IllegalArgumentException when {@code top} is above 0 and logprobs is false
     */
    static Boolean effective(Boolean logprobs, Integer top) {
        if (top == null || top == 0) {
            return logprobs;
        }
        if (Boolean.FALSE.equals(logprobs)) {
            throw new IllegalArgumentException("top_logprobs is " + top + " but logprobs is false, so Ollama would "
                                               + "return no log probabilities at all; remove logprobs=false (the "
                                               + "logprobs option or the " + OllamaConstants.LOGPROBS + " header), "
                                               + "or set topLogprobs (" + OllamaConstants.TOP_LOGPROBS + ") to 0");
        }
        return true;
    }

    private static IllegalArgumentException outOfRange(String source, Object value) {
        return new IllegalArgumentException(source + " is '" + value + "'; give a whole number from 0 to "
                                            + MAX_TOP_LOGPROBS + " (top_logprobs: how many of the most likely "
                                            + "tokens to return at each position; Ollama refuses anything else)");
    }
}
