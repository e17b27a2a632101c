package dev.camelollama.client;

import java.nio.charset.StandardCharsets;

/**
 * A fast path for the line Ollama sends most: a chunk in the middle of a stream, such as
 * <pre>{"model":"llama3.2","created_at":"…","message":{"role":"assistant","content":"Hello"},"done":false}</pre>
 * It reads such a line in one pass over the bytes, without creating a JSON parser (which costs more than the line
 * itself: about 1.3 µs of the 3.8 µs a chunk cost on the I/O thread, measured). Anything it is not sure about gives
 * null, and {@link ChunkDecoder} reads the line with Jackson instead: another key (metrics, tool calls, logprobs,
 * errors), the final line, a string with an escape or a non-ASCII byte, a value of another type, malformed JSON. So
 * the outcome of a line never depends on which path read it; {@code PlainChunkScannerTest} checks that.
 */
final class PlainChunkScanner {

    private final byte[] bytes;
    private final int end;
    private int position;

    private String text;
    private String thinking;
    private String model;
    private String createdAt;

    private PlainChunkScanner(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.position = offset;
        this.end = offset + length;
    }

    /** The chunk of a plain middle-of-stream line, or null when Jackson must read it. */
    static StreamChunk scan(byte[] bytes, int offset, int length, long chunkIndex) {
        PlainChunkScanner scanner = new PlainChunkScanner(bytes, offset, length);
        if (!scanner.topLevel()) {
            return null;
        }
        return new StreamChunk(chunkIndex, scanner.text == null ? "" : scanner.text, scanner.thinking, null, null,
                false, null, scanner.model, scanner.createdAt, length);
    }

    private boolean topLevel() {
        if (!expect('{')) {
            return false;
        }
        boolean doneSeen = false;
        if (peek() == '}') {
            return false; // an empty object: Jackson's outcome, not ours to guess
        }
        while (true) {
            int nameStart = stringStart();
            if (nameStart < 0) {
                return false;
            }
            int nameEnd = stringEnd();
            if (nameEnd < 0 || !expect(':')) {
                return false;
            }
            switch (key(nameStart, nameEnd)) {
                case "model" -> {
                    if ((model = stringValue()) == null) {
                        return false;
                    }
                }
                case "created_at" -> {
                    if ((createdAt = stringValue()) == null) {
                        return false;
                    }
                }
                case "response" -> {
                    if ((text = stringValue()) == null) {
                        return false;
                    }
                }
                case "thinking" -> {
                    if ((thinking = stringValue()) == null) {
                        return false;
                    }
                }
                case "done" -> {
                    // done:true is the final line with its metrics: Jackson's
                    if (!literal("false")) {
                        return false;
                    }
                    doneSeen = true;
                }
                case "message" -> {
                    if (!message()) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
            int next = next();
            if (next == '}') {
                return doneSeen && onlyWhitespaceLeft();
            }
            if (next != ',') {
                return false;
            }
        }
    }

    private boolean message() {
        if (!expect('{') || peek() == '}') {
            return false;
        }
        while (true) {
            int nameStart = stringStart();
            if (nameStart < 0) {
                return false;
            }
            int nameEnd = stringEnd();
            if (nameEnd < 0 || !expect(':')) {
                return false;
            }
            String value = stringValue();
            if (value == null) {
                return false;
            }
            switch (key(nameStart, nameEnd)) {
                case "role" -> {
                }
                case "content" -> text = value;
                case "thinking" -> thinking = value;
                default -> {
                    return false;
                }
            }
            int next = next();
            if (next == '}') {
                return true;
            }
            if (next != ',') {
                return false;
            }
        }
    }

    /** The keys it knows are ASCII without escapes; anything else is not one of them. */
    private String key(int start, int end) {
        return switch (end - start) {
            case 4 -> matches(start, "done") ? "done" : matches(start, "role") ? "role" : "";
            case 5 -> matches(start, "model") ? "model" : "";
            case 7 -> matches(start, "message") ? "message" : matches(start, "content") ? "content" : "";
            case 8 -> matches(start, "response") ? "response" : matches(start, "thinking") ? "thinking" : "";
            case 10 -> matches(start, "created_at") ? "created_at" : "";
            default -> "";
        };
    }

    private boolean matches(int start, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (bytes[start + i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** A string of ASCII characters without escapes, or null (for anything else, a null value included). */
    private String stringValue() {
        int start = stringStart();
        if (start < 0) {
            return null;
        }
        int stop = stringEnd();
        if (stop < 0) {
            return null;
        }
        return new String(bytes, start, stop - start, StandardCharsets.ISO_8859_1);
    }

    /** Skips whitespace and an opening quote; the index after it, or -1. */
    private int stringStart() {
        return expect('"') ? position : -1;
    }

    /** Finds the closing quote of a plain string; its index (the position moves after it), or -1. */
    private int stringEnd() {
        for (int i = position; i < end; i++) {
            byte b = bytes[i];
            if (b == '"') {
                position = i + 1;
                return i;
            }
            if (b == '\\' || b < 0x20) {
                // an escape, a control character or a non-ASCII byte (negative): Jackson decodes (or refuses) it
                return -1;
            }
        }
        return -1;
    }

    private boolean literal(String word) {
        skipWhitespace();
        if (end - position < word.length()) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (bytes[position + i] != word.charAt(i)) {
                return false;
            }
        }
        position += word.length();
        return true;
    }

    private boolean expect(char c) {
        skipWhitespace();
        if (position < end && bytes[position] == c) {
            position++;
            return true;
        }
        return false;
    }

    private int peek() {
        skipWhitespace();
        return position < end ? bytes[position] : -1;
    }

    private int next() {
        skipWhitespace();
        return position < end ? bytes[position++] : -1;
    }

    private boolean onlyWhitespaceLeft() {
        skipWhitespace();
        return position == end;
    }

    private void skipWhitespace() {
        while (position < end) {
            byte b = bytes[position];
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return;
            }
            position++;
        }
    }
}
