package dev.camelollama.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fast path for plain chunks gives, for every line it takes, exactly what Jackson gives; every line it is not
 * sure about it leaves to Jackson. Checked on Ollama's documented reply lines and on 20,000 generated variants
 * (fixed seed) that mix plain lines with every way a line can leave the plain shape.
 */
@Timeout(60)
class PlainChunkScannerTest {

    private final ChunkDecoder decoder = new ChunkDecoder(new ObjectMapper());

    /** The outcome of the fast path where it takes the line, otherwise null; always compared with Jackson's. */
    private StreamChunk checkAgainstJackson(String line) {
        byte[] bytes = ("  " + line + "  ").getBytes(StandardCharsets.UTF_8);
        int offset = 2;
        int length = bytes.length - 4;
        StreamChunk fast = PlainChunkScanner.scan(bytes, offset, length, 7);
        ChunkDecoder.Decoded viaDecoder = decodeOrFailure(bytes, offset, length, false);
        ChunkDecoder.Decoded viaJackson = decodeOrFailure(bytes, offset, length, true);
        assertEquals(String.valueOf(viaJackson), String.valueOf(viaDecoder), line);
        if (fast != null) {
            assertEquals(viaJackson.chunk(), fast, line);
        }
        return fast;
    }

    private ChunkDecoder.Decoded decodeOrFailure(byte[] bytes, int offset, int length, boolean jacksonOnly) {
        try {
            return jacksonOnly ? decoder.decodeWithJackson(bytes, offset, length, 3, 7)
                    : decoder.decode(bytes, offset, length, 3, 7);
        } catch (OllamaProtocolException e) {
            return new ChunkDecoder.Decoded(null, "protocol failure: " + e.getMessage());
        }
    }

    @Test
    void takesThePlainMiddleOfAStreamForChatAndGenerate() {
        StreamChunk chat = checkAgainstJackson("{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19.385406455-07:00\","
                                               + "\"message\":{\"role\":\"assistant\",\"content\":\"The\"},\"done\":false}");
        assertNotNull(chat);
        assertEquals("The", chat.text());
        assertEquals("llama3.2", chat.model());
        assertEquals(7, chat.index());
        StreamChunk generate = checkAgainstJackson("{\"model\":\"llama3.2\",\"created_at\":\"2023-08-04T08:52:19Z\","
                                                   + "\"response\":\" sky\",\"done\":false}");
        assertNotNull(generate);
        assertEquals(" sky", generate.text());
        StreamChunk thinking = checkAgainstJackson("{ \"model\" : \"qwen3\" , \"message\" : { \"role\" : \"assistant\", "
                                                   + "\"content\" : \"\", \"thinking\" : \"hmm\" } , \"done\" : false }");
        assertNotNull(thinking);
        assertEquals("hmm", thinking.thinking());
        assertEquals("", thinking.text());
    }

    @Test
    void leavesEveryOtherLineToJackson() {
        List<String> notPlain = List.of(
                "{\"model\":\"m\",\"response\":\"a\",\"done\":true}",                          // the final line
                "{\"model\":\"m\",\"response\":\"line\\nbreak\",\"done\":false}",             // an escape
                "{\"model\":\"m\",\"response\":\"caf\u00e9\",\"done\":false}",                // non-ASCII
                "{\"model\":\"m\",\"response\":null,\"done\":false}",                         // null
                "{\"model\":\"m\",\"response\":\"a\"}",                                       // no done
                "{\"model\":\"m\",\"response\":\"a\",\"done\":false,\"eval_count\":3}",        // a metric
                "{\"model\":\"m\",\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[]},\"done\":false}",
                "{\"error\":\"boom\"}",
                "{\"model\":\"m\",\"response\":\"a\",\"done\":false} trailing",
                "{\"model\":\"m\",\"response\":\"a\",\"done\":fals}",
                "{\"model\":\"m\",\"response\":\"a\",\"done\":false",
                "{}",
                "[]",
                "not json");
        for (String line : notPlain) {
            assertNull(checkAgainstJackson(line), line);
        }
    }

    @Test
    void agreesWithJacksonOnEveryDocumentedReplyLine() throws IOException {
        Path folder = Path.of("src/test/resources/conformance/ollama");
        int lines = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.response.ndjson")) {
            for (Path file : files) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        checkAgainstJackson(line);
                        lines++;
                    }
                }
            }
        }
        assertTrue(lines > 50, "documented reply lines read: " + lines);
    }

    @Test
    void agreesWithJacksonOnGeneratedVariants() {
        Random random = new Random(0x5ca1ab1eL);
        String[] texts = { "Hello", " world", "", "x", "a b c", "tab\\there", "quote\\\"d", "caf\u00e9", "\\u00e9",
                           "snow \u2603", "emoji \ud83d\ude00", "back\\\\slash", "slash/", "ctrl\u0001", "{", "}", ",",
                           ":", "\\n" };
        String[] extras = { "", ",\"eval_count\":1", ",\"context\":[1,2]", ",\"unknown\":{\"a\":[1]}",
                            ",\"thinking\":\"t\"", ",\"model\":\"other\"", ",\"response\":\"dup\"", ",\"done\":true",
                            ",\"logprobs\":[{\"token\":\"a\",\"logprob\":-0.1}]", ",\"done_reason\":\"stop\"" };
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            String text = texts[random.nextInt(texts.length)];
            String extra = random.nextInt(4) == 0 ? extras[random.nextInt(extras.length)] : "";
            String space = random.nextBoolean() ? "" : " ";
            List<String> fields = new ArrayList<>();
            fields.add("\"model\":" + space + "\"llama3.2\"");
            if (random.nextBoolean()) {
                fields.add("\"created_at\":\"2024-07-22T20:33:28.123648Z\"");
            }
            fields.add(random.nextBoolean()
                    ? "\"response\":\"" + text + "\""
                    : "\"message\":{\"role\":\"assistant\"," + space + "\"content\":\"" + text + "\"}");
            fields.add("\"done\":" + (random.nextInt(10) == 0 ? "true" : "false"));
            java.util.Collections.shuffle(fields, random);
            String line = "{" + String.join("," + space, fields) + extra + "}";
            if (random.nextInt(50) == 0) {
                line = line.substring(0, random.nextInt(line.length())); // cut short
            }
            if (checkAgainstJackson(line) != null) {
                taken++;
            }
        }
        assertTrue(taken > 5_000, "the fast path should take most plain lines: " + taken);
    }
}
