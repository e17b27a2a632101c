package dev.camelollama.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The default generate/chat answer: chunk {@code i} is the prompt's word {@code i % words} (with a leading space
 * after the first), so a test can compute the expected text with {@link OllamaSimulator#expectedReply}. Every
 * distinct line is rendered once up front, so streaming even 200,000 chunks costs only buffer copies.
 * <p>
 * When the request asked for {@code logprobs}, each chunk carries one entry for its text (see {@link #logprob}),
 * with {@code top_logprobs} entries when asked for: the chunk's own token first, then {@code alt1}, {@code alt2},
 * ... each 1.0 less likely than the one before. The final streamed line carries none; a {@code stream:false} reply
 * carries every chunk's entry.
 */
final class DeterministicReply {

    private static final long LOAD_DURATION_NANOS = 1_000_000L;
    private static final long PROMPT_EVAL_NANOS_PER_WORD = 100_000L;
    private static final long EVAL_NANOS_PER_CHUNK = 10_000_000L;

    private final boolean chat;
    private final String model;
    private final String createdAt;
    private final String[] words;
    private final int chunkCount;
    private final boolean logprobs;
    private final int topLogprobs;

    DeterministicReply(boolean chat, String model, String prompt, int chunkCount, boolean logprobs, int topLogprobs) {
        this.chat = chat;
        this.model = model;
        this.createdAt = Instant.now().toString();
        this.words = words(prompt);
        this.chunkCount = chunkCount;
        this.logprobs = logprobs;
        this.topLogprobs = topLogprobs;
    }

    /** The log probability of chunk {@code index}: -0.125 times (1 + the position of its word in the prompt). */
    static double logprob(String[] words, int index) {
        return -0.125 * (1 + index % words.length);
    }

    /** The prompt's whitespace-separated words, or {@code ok} alone when there are none. */
    static String[] words(String prompt) {
        String trimmed = prompt == null ? "" : prompt.strip();
        return trimmed.isEmpty() ? new String[] {"ok"} : trimmed.split("\\s+");
    }

    static String chunkText(String[] words, int index) {
        String word = words[index % words.length];
        return index == 0 ? word : " " + word;
    }

    static String fullText(String prompt, int chunkCount) {
        String[] words = words(prompt);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunkCount; i++) {
            text.append(chunkText(words, i));
        }
        return text.toString();
    }

    /** {@code chunkCount} lines with {@code done:false}, then the final line with metrics; rendered lazily. */
    Iterator<byte[]> streamLines() {
        String prefix = "{\"model\":" + SimulatorJson.quote(model) + ",\"created_at\":\"" + createdAt + "\","
                + (chat ? "\"message\":{\"role\":\"assistant\",\"content\":" : "\"response\":");
        String suffix = chat ? "},\"done\":false" : ",\"done\":false";
        int distinct = Math.min(words.length, chunkCount);
        byte[] firstLine = chunkCount == 0 ? null : render(prefix, chunkText(words, 0), suffix + logprobsField(0));
        byte[][] laterLines = new byte[distinct][];
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next <= chunkCount;
            }

            @Override
            public byte[] next() {
                if (next > chunkCount) {
                    throw new NoSuchElementException();
                }
                int index = next++;
                if (index == chunkCount) {
                    return finalObject("", false).getBytes(StandardCharsets.UTF_8);
                }
                if (index == 0) {
                    return firstLine;
                }
                int word = index % words.length;
                if (laterLines[word] == null) {
                    laterLines[word] = render(prefix, chunkText(words, index), suffix + logprobsField(index));
                }
                return laterLines[word];
            }
        };
    }

    /** The whole answer as one object, as Ollama sends it for {@code "stream": false}. */
    String singleObject() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunkCount; i++) {
            text.append(chunkText(words, i));
        }
        return finalObject(text.toString(), logprobs);
    }

    /** {@code ,"logprobs":[...]}} closing a chunk line, or just the closing brace when logprobs were not asked for. */
    private String logprobsField(int index) {
        if (!logprobs) {
            return "}";
        }
        ArrayNode entries = SimulatorJson.MAPPER.createArrayNode();
        addLogprob(entries, index);
        return ",\"logprobs\":" + entries + "}";
    }

    private void addLogprob(ArrayNode entries, int index) {
        String token = chunkText(words, index);
        double logprob = logprob(words, index);
        ObjectNode entry = tokenEntry(entries.addObject(), token, logprob);
        if (topLogprobs > 0) {
            ArrayNode top = entry.putArray("top_logprobs");
            tokenEntry(top.addObject(), token, logprob);
            for (int alternative = 1; alternative < topLogprobs; alternative++) {
                tokenEntry(top.addObject(), "alt" + alternative, logprob - alternative);
            }
        }
    }

    private static ObjectNode tokenEntry(ObjectNode entry, String token, double logprob) {
        entry.put("token", token);
        entry.put("logprob", logprob);
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        return entry;
    }

    private String finalObject(String text, boolean withLogprobs) {
        ObjectNode node = SimulatorJson.object();
        node.put("model", model);
        node.put("created_at", createdAt);
        if (chat) {
            ObjectNode message = node.putObject("message");
            message.put("role", "assistant");
            message.put("content", text);
        } else {
            node.put("response", text);
        }
        node.put("done", true);
        node.put("done_reason", "stop");
        long promptEvalDuration = PROMPT_EVAL_NANOS_PER_WORD * words.length;
        long evalDuration = EVAL_NANOS_PER_CHUNK * chunkCount;
        node.put("total_duration", LOAD_DURATION_NANOS + promptEvalDuration + evalDuration);
        node.put("load_duration", LOAD_DURATION_NANOS);
        node.put("prompt_eval_count", words.length);
        node.put("prompt_eval_duration", promptEvalDuration);
        node.put("eval_count", chunkCount);
        node.put("eval_duration", evalDuration);
        if (withLogprobs) {
            ArrayNode entries = node.putArray("logprobs");
            for (int i = 0; i < chunkCount; i++) {
                addLogprob(entries, i);
            }
        }
        return SimulatorJson.write(node);
    }

    private static byte[] render(String prefix, String text, String suffix) {
        return (prefix + SimulatorJson.quote(text) + suffix).getBytes(StandardCharsets.UTF_8);
    }
}
