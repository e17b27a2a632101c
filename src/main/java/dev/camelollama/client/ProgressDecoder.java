package dev.camelollama.client;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Decodes one line of a pull, push or create progress stream with Jackson's streaming parser: one pass, no tree,
 * unknown fields skipped.
 */
final class ProgressDecoder {

    /** The outcome of one line: a progress chunk, or the text of an {@code {"error": ...}} line. */
    record Decoded(ProgressChunk chunk, String error) {
    }

    private final JsonFactory factory;

    ProgressDecoder(JsonFactory factory) {
        this.factory = factory;
    }

    Decoded decode(byte[] bytes, int offset, int length, long lineNumber, long index) {
        String status = null;
        String digest = null;
        Long total = null;
        Long completed = null;
        String error = null;
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new OllamaProtocolException("expected a JSON object", lineNumber,
                        LineSplitter.sample(bytes, offset, length), null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "status" -> status = JsonValues.text(parser, value);
                    case "digest" -> digest = JsonValues.text(parser, value);
                    case "total" -> total = JsonValues.wholeNumber(parser, value);
                    case "completed" -> completed = JsonValues.wholeNumber(parser, value);
                    case "error" -> error = value == JsonToken.VALUE_NULL ? null
                            : value.isStructStart() ? skipAndDescribe(parser) : parser.getText();
                    default -> parser.skipChildren();
                }
            }
        } catch (OllamaProtocolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("");
            throw new OllamaProtocolException("not valid JSON (" + message + ")", lineNumber,
                    LineSplitter.sample(bytes, offset, length), e);
        }
        if (error != null) {
            return new Decoded(null, error);
        }
        return new Decoded(new ProgressChunk(index, status == null ? "" : status, digest, total, completed, length),
                null);
    }

    private static String skipAndDescribe(JsonParser parser) throws IOException {
        parser.skipChildren();
        return "(an error object)";
    }
}
