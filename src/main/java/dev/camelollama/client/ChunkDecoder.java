package dev.camelollama.client;

import java.io.IOException;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.camelollama.api.Metrics;
import dev.camelollama.api.TokenLogprob;
import dev.camelollama.api.ToolCall;

/**
 * Decodes one reply line of {@code /api/generate} or {@code /api/chat}: a plain middle-of-stream line through
 * {@link PlainChunkScanner}, every other line with Jackson's streaming parser (one pass over the bytes, no tree,
 * unknown fields skipped). Every field is optional, because Ollama omits zero values and
 * documented streams end with a final line that has no {@code message} at all.
 */
final class ChunkDecoder {

    /** The outcome of one line: a chunk, or the text of an in-stream {@code {"error": ...}} line. */
    record Decoded(StreamChunk chunk, String error) {
    }

    private static final TypeReference<List<ToolCall>> TOOL_CALLS = new TypeReference<>() {
    };

    private final JsonFactory factory;
    private final ObjectMapper mapper;

    ChunkDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
        this.factory = mapper.getFactory();
    }

    Decoded decode(byte[] bytes, int offset, int length, long lineNumber, long chunkIndex) {
        StreamChunk plain = PlainChunkScanner.scan(bytes, offset, length, chunkIndex);
        if (plain != null) {
            return new Decoded(plain, null);
        }
        return decodeWithJackson(bytes, offset, length, lineNumber, chunkIndex);
    }

    /** Any line, read with Jackson's streaming parser; {@link #decode} comes here for all but the plainest lines. */
    Decoded decodeWithJackson(byte[] bytes, int offset, int length, long lineNumber, long chunkIndex) {
        String text = null;
        String thinking = null;
        List<ToolCall> toolCalls = null;
        List<TokenLogprob> logprobs = null;
        boolean done = false;
        String doneReason = null;
        String model = null;
        String createdAt = null;
        String error = null;
        Long totalDuration = null;
        Long loadDuration = null;
        Long promptEvalCount = null;
        Long promptEvalDuration = null;
        Long evalCount = null;
        Long evalDuration = null;
        List<Long> context = null;
        try (JsonParser parser = factory.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new OllamaProtocolException("expected a JSON object", lineNumber,
                        LineSplitter.sample(bytes, offset, length), null);
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "response" -> text = JsonValues.text(parser, value);
                    case "thinking" -> thinking = JsonValues.text(parser, value);
                    case "done" -> done = value == JsonToken.VALUE_TRUE;
                    case "done_reason" -> doneReason = JsonValues.text(parser, value);
                    case "model" -> model = JsonValues.text(parser, value);
                    case "created_at" -> createdAt = JsonValues.text(parser, value);
                    case "total_duration" -> totalDuration = JsonValues.wholeNumber(parser, value);
                    case "load_duration" -> loadDuration = JsonValues.wholeNumber(parser, value);
                    case "prompt_eval_count" -> promptEvalCount = JsonValues.wholeNumber(parser, value);
                    case "prompt_eval_duration" -> promptEvalDuration = JsonValues.wholeNumber(parser, value);
                    case "eval_count" -> evalCount = JsonValues.wholeNumber(parser, value);
                    case "eval_duration" -> evalDuration = JsonValues.wholeNumber(parser, value);
                    case "tool_calls" -> toolCalls = toolCalls(parser, value, toolCalls);
                    case "context" -> context = longs(parser, value);
                    case "logprobs" -> logprobs = LogprobsDecoder.read(parser, value);
                    case "error" -> error = errorText(parser, value);
                    case "message" -> {
                        if (value == JsonToken.START_OBJECT) {
                            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                                String field = parser.currentName();
                                JsonToken inner = parser.nextToken();
                                switch (field) {
                                    case "content" -> text = JsonValues.text(parser, inner);
                                    case "thinking" -> thinking = JsonValues.text(parser, inner);
                                    case "tool_calls" -> toolCalls = toolCalls(parser, inner, toolCalls);
                                    default -> parser.skipChildren();
                                }
                            }
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
        } catch (OllamaProtocolException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new OllamaProtocolException("not valid JSON (" + firstLine(e.getMessage()) + ")", lineNumber,
                    LineSplitter.sample(bytes, offset, length), e);
        }
        if (error != null) {
            return new Decoded(null, error);
        }
        Metrics metrics = null;
        if (done) {
            metrics = new Metrics(doneReason, totalDuration, loadDuration, promptEvalCount, promptEvalDuration,
                    evalCount, evalDuration, context);
        }
        return new Decoded(new StreamChunk(chunkIndex, text == null ? "" : text, thinking, toolCalls,
                logprobs == null || logprobs.isEmpty() ? null : logprobs, done, metrics, model, createdAt, length),
                null);
    }

    private static List<Long> longs(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return null;
        }
        List<Long> values = new java.util.ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                values.add(parser.getLongValue());
            } else {
                parser.skipChildren();
            }
        }
        return values;
    }

    private List<ToolCall> toolCalls(JsonParser parser, JsonToken token, List<ToolCall> earlier) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return earlier;
        }
        List<ToolCall> calls = mapper.readValue(parser, TOOL_CALLS);
        if (earlier == null || earlier.isEmpty()) {
            return calls;
        }
        List<ToolCall> all = new java.util.ArrayList<>(earlier);
        all.addAll(calls);
        return all;
    }

    private String errorText(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        return mapper.readTree(parser).toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
