package dev.camelollama.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Frames responses onto one connection through a 64 KB buffer, and counts how many NDJSON lines have been handed
 * to the operating system in full, which is what a test means by "lines written before the client left".
 */
final class HttpResponseWriter {

    private static final int BUFFER_BYTES = 64 * 1024;
    private static final byte[] LINE_END_AND_CHUNK_END = {'\n', '\r', '\n'};
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int used;
    private int linesBuffered;
    private int linesFlushed;

    HttpResponseWriter(OutputStream out) {
        this.out = out;
    }

    /** Starts counting lines afresh for the next response. */
    void beginResponse() {
        linesBuffered = 0;
        linesFlushed = 0;
    }

    int linesFlushed() {
        return linesFlushed;
    }

    void writeContinue() throws IOException {
        put(CONTINUE, 0, CONTINUE.length);
        flush();
    }

    void writeHead(int status, List<Map.Entry<String, String>> headers) throws IOException {
        StringBuilder head = new StringBuilder(256);
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        for (Map.Entry<String, String> header : headers) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
        }
        head.append("\r\n");
        byte[] bytes = head.toString().getBytes(StandardCharsets.UTF_8);
        put(bytes, 0, bytes.length);
    }

    void writeBody(byte[] body) throws IOException {
        put(body, 0, body.length);
    }

    /** One NDJSON line plus its {@code \n} as exactly one HTTP chunk. */
    void writeLineChunk(byte[] line) throws IOException {
        byte[] size = (Integer.toHexString(line.length + 1) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        put(size, 0, size.length);
        put(line, 0, line.length);
        put(LINE_END_AND_CHUNK_END, 0, LINE_END_AND_CHUNK_END.length);
        linesBuffered++;
    }

    void writeLastChunk() throws IOException {
        put(LAST_CHUNK, 0, LAST_CHUNK.length);
    }

    void flush() throws IOException {
        drain();
        out.flush();
    }

    private void put(byte[] bytes, int offset, int length) throws IOException {
        if (length > buffer.length - used) {
            drain();
            if (length > buffer.length) {
                out.write(bytes, offset, length);
                return;
            }
        }
        System.arraycopy(bytes, offset, buffer, used, length);
        used += length;
    }

    private void drain() throws IOException {
        if (used > 0) {
            out.write(buffer, 0, used);
            used = 0;
        }
        linesFlushed += linesBuffered;
        linesBuffered = 0;
    }

    static String reason(int status) {
        switch (status) {
            case 100: return "Continue";
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 408: return "Request Timeout";
            case 413: return "Payload Too Large";
            case 429: return "Too Many Requests";
            case 500: return "Internal Server Error";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return "Status " + status;
        }
    }
}
