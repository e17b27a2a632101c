package dev.camelollama.simulator;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads HTTP/1.1 requests off one connection: request line, headers, and a body framed by Content-Length or
 * chunked transfer coding. Split into head and body so the caller can answer {@code Expect: 100-continue} between.
 */
final class HttpRequestReader {

    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final int MAX_HEADERS = 256;

    /** The request line and headers of one request. */
    record RequestHead(String method, String target, String version, Map<String, String> headers) {

        String header(String name) {
            return headers.get(name);
        }

        /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it. */
        boolean keepAlive() {
            String connection = header("Connection");
            String tokens = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
            if (tokens.contains("close")) {
                return false;
            }
            return !"HTTP/1.0".equals(version) || tokens.contains("keep-alive");
        }

        boolean expectsContinue() {
            String expect = header("Expect");
            return expect != null && expect.equalsIgnoreCase("100-continue");
        }
    }

    /** The request cannot be parsed; the connection answers 400 and closes. */
    static final class MalformedRequestException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedRequestException(String message) {
            super(message);
        }
    }

    private final InputStream in;

    /** @param in a buffered stream: the reader reads byte by byte */
    HttpRequestReader(InputStream in) {
        this.in = in;
    }

    /** The next request's head, or {@code null} if the client closed the connection between requests. */
    RequestHead readHead() throws IOException {
        String requestLine = readLine();
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = readLine();
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
            throw new MalformedRequestException("malformed request line");
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int count = 0;; count++) {
            String line = readLine();
            if (line == null) {
                throw new EOFException("connection closed inside the request headers");
            }
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (count >= MAX_HEADERS || colon <= 0) {
                throw new MalformedRequestException("malformed header line");
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.merge(name, value, (first, second) -> first + ", " + second);
        }
        return new RequestHead(parts[0], parts[1], parts[2], headers);
    }

    /** The body that follows {@code head}, de-chunked; empty when the request declares none. */
    byte[] readBody(RequestHead head) throws IOException {
        String transferEncoding = head.header("Transfer-Encoding");
        if (transferEncoding != null && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return readChunkedBody();
        }
        String contentLength = head.header("Content-Length");
        if (contentLength == null) {
            return new byte[0];
        }
        long length;
        try {
            length = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw new MalformedRequestException("malformed Content-Length");
        }
        if (length < 0 || length > Integer.MAX_VALUE - 16) {
            throw new MalformedRequestException("unsupported Content-Length");
        }
        return readExactly((int) length);
    }

    private byte[] readChunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int extension = sizeLine.indexOf(';');
            String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim();
            long size;
            try {
                size = Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new MalformedRequestException("malformed chunk size");
            }
            if (size < 0 || size > Integer.MAX_VALUE - 16 - body.size()) {
                throw new MalformedRequestException("unsupported chunk size");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = readLine();
                    if (trailer == null) {
                        throw new EOFException("connection closed inside the chunked trailer");
                    }
                } while (!trailer.isEmpty());
                return body.toByteArray();
            }
            body.write(readExactly((int) size));
            String end = readLine();
            if (end == null || !end.isEmpty()) {
                throw new MalformedRequestException("chunk not followed by CRLF");
            }
        }
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("connection closed inside the request body");
        }
        return bytes;
    }

    /** One line without its CRLF (a bare LF is tolerated); {@code null} at end of stream before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            if (line.size() >= MAX_LINE_BYTES) {
                throw new MalformedRequestException("line too long");
            }
            line.write(b);
        }
        if (line.size() == 0) {
            return null;
        }
        throw new EOFException("connection closed inside a line");
    }
}
