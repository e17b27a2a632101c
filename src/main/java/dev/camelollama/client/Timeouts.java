package dev.camelollama.client;

/**
 * The four budgets of one call, in milliseconds; 0 switches one off. They are separate because Ollama's timing
 * is: nothing until the first token (queue + model load + prompt evaluation, minutes on a cold model), then a
 * steady trickle whose pauses mean a stall.
 *
 * @param connect   to open the TCP connection
 * @param firstByte from sending the request to the first byte of the reply
 * @param idle      the longest pause between two pieces of a streamed reply
 * @param total     the whole call, retries excluded
 */
public record Timeouts(long connect, long firstByte, long idle, long total) {

    public static final Timeouts DEFAULT = new Timeouts(10_000, 300_000, 120_000, 0);

    public Timeouts {
        check("connectTimeout", connect);
        check("firstByteTimeout", firstByte);
        check("idleTimeout", idle);
        check("totalTimeout", total);
    }

    private static void check(String option, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(option + " is " + value
                                               + " ms; give a positive duration such as 30s, or 0 to switch it off");
        }
    }
}
