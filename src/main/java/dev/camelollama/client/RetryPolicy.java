package dev.camelollama.client;

import java.util.Set;

/**
 * When and how long to wait before sending a request again. Names follow Camel's RedeliveryPolicy so that users
 * recognise them. Only failures that happen before any reply text arrived are retried; see
 * {@link OllamaClient}.
 *
 * @param maximumRedeliveries    how many times to send again after the first attempt (0 = never)
 * @param redeliveryDelay        the first wait, in milliseconds
 * @param backOffMultiplier      each further wait is the previous one times this
 * @param maximumRedeliveryDelay no wait is longer than this, a server's {@code Retry-After} included
 * @param retryableStatusCodes   the HTTP statuses that are worth another try
 * @param retryReadTimeouts      whether a first-byte timeout is retried too (it restarts the whole generation)
 */
public record RetryPolicy(
        int maximumRedeliveries,
        long redeliveryDelay,
        double backOffMultiplier,
        long maximumRedeliveryDelay,
        Set<Integer> retryableStatusCodes,
        boolean retryReadTimeouts) {

    public static final Set<Integer> DEFAULT_RETRYABLE_STATUS_CODES = Set.of(429, 500, 502, 503, 504);

    public static final RetryPolicy DEFAULT = new RetryPolicy(3, 300, 2.0, 30_000, DEFAULT_RETRYABLE_STATUS_CODES,
            false);

    public static final RetryPolicy NONE = new RetryPolicy(0, 0, 1.0, 0, Set.of(), false);

    /**
     * The wait before redelivery number {@code redelivery} (1-based), honouring a server's {@code Retry-After}
     * when it asks for longer, never above {@link #maximumRedeliveryDelay()}.
     */
    public long delayBefore(int redelivery, long retryAfterMillis) {
        double delay = redeliveryDelay * Math.pow(backOffMultiplier, Math.max(0, redelivery - 1));
        long wait = (long) Math.min(delay, (double) Long.MAX_VALUE);
        if (retryAfterMillis > wait) {
            wait = retryAfterMillis;
        }
        return maximumRedeliveryDelay > 0 ? Math.min(wait, maximumRedeliveryDelay) : wait;
    }

    /** Whether this HTTP status is worth another try. */
    public boolean isRetryableStatus(int status) {
        return retryableStatusCodes.contains(status);
    }

    /** Parses a comma-separated list such as {@code 429,500,502,503,504}. */
    public static Set<Integer> parseStatusCodes(String list) {
        if (list == null || list.isBlank()) {
            return Set.of();
        }
        java.util.Set<Integer> codes = new java.util.TreeSet<>();
        for (String part : list.split(",")) {
            String code = part.trim();
            if (code.isEmpty()) {
                continue;
            }
            try {
                int status = Integer.parseInt(code);
                if (status < 100 || status > 599) {
                    throw new NumberFormatException();
                }
                codes.add(status);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("retryableStatusCodes contains '" + code
                                                   + "'; give HTTP status codes separated by commas, e.g. 429,503");
            }
        }
        return Set.copyOf(codes);
    }
}
