package dev.camelollama.client;

import java.nio.ByteBuffer;

/**
 * Cuts a byte stream into NDJSON lines without copying a line that lies whole inside one network buffer. Only a
 * line split across buffers is carried over. Blank lines are skipped; a trailing {@code \r} is dropped.
 */
final class LineSplitter {

    /** Receives each complete line; the array is only valid during the call. */
    interface LineSink {
        void onLine(byte[] buffer, int offset, int length, long lineNumber);
    }

    private final int maxLineBytes;
    private byte[] carry = new byte[1024];
    private int carryLength;
    private long lineNumber;
    private byte[] scratch;

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    void feed(ByteBuffer source, LineSink sink) {
        int length = source.remaining();
        if (source.hasArray()) {
            int start = source.arrayOffset() + source.position();
            source.position(source.limit());
            split(source.array(), start, start + length, sink);
        } else {
            if (scratch == null || scratch.length < length) {
                scratch = new byte[Math.max(length, 8192)];
            }
            source.get(scratch, 0, length);
            split(scratch, 0, length, sink);
        }
    }

    /** Hands over a last line that had no terminating newline (a non-streamed JSON body usually has none). */
    void finish(LineSink sink) {
        if (carryLength > 0) {
            int length = carryLength;
            carryLength = 0;
            emit(carry, 0, length, sink);
        }
    }

    long linesSeen() {
        return lineNumber;
    }

    /** The bytes of a line that has begun but not ended yet (held until its newline arrives). */
    int pendingBytes() {
        return carryLength;
    }

    private void split(byte[] bytes, int start, int end, LineSink sink) {
        int lineStart = start;
        for (int i = start; i < end; i++) {
            if (bytes[i] == '\n') {
                if (carryLength > 0) {
                    append(bytes, lineStart, i);
                    int length = carryLength;
                    carryLength = 0;
                    emit(carry, 0, length, sink);
                } else {
                    emit(bytes, lineStart, i - lineStart, sink);
                }
                lineStart = i + 1;
            }
        }
        if (lineStart < end) {
            append(bytes, lineStart, end);
        }
    }

    private void append(byte[] bytes, int from, int to) {
        int needed = carryLength + (to - from);
        if (needed > maxLineBytes) {
            throw new OllamaProtocolException("a reply line is longer than " + maxLineBytes + " bytes",
                    lineNumber + 1, sample(carryLength > 0 ? carry : bytes, carryLength > 0 ? 0 : from,
                            carryLength > 0 ? carryLength : to - from), null);
        }
        if (needed > carry.length) {
            byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(needed, carry.length * 2))];
            System.arraycopy(carry, 0, bigger, 0, carryLength);
            carry = bigger;
        }
        System.arraycopy(bytes, from, carry, carryLength, to - from);
        carryLength = needed;
    }

    private void emit(byte[] bytes, int offset, int length, LineSink sink) {
        if (length > 0 && bytes[offset + length - 1] == '\r') {
            length--;
        }
        if (length == 0 || isBlank(bytes, offset, length)) {
            return;
        }
        lineNumber++;
        sink.onLine(bytes, offset, length, lineNumber);
    }

    private static boolean isBlank(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The first characters of a line, printable, for error messages. */
    static String sample(byte[] bytes, int offset, int length) {
        int shown = Math.min(length, 80);
        String text = new String(bytes, offset, shown, java.nio.charset.StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(text.length() + 3);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (length > shown) {
            out.append("...");
        }
        return out.toString();
    }
}
