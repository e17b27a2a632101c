package dev.camelollama.client;

/**
 * The outcome of a whole pull, push or create: the last status line (always {@code success}: a failure arrives as
 * an exception) and how many progress lines there were.
 *
 * @param status    the last line's status
 * @param lineCount how many progress lines arrived
 */
public record ProgressReply(String status, long lineCount) {
}
