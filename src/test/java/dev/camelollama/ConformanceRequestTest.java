package dev.camelollama;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelollama.api.ChatMessage;
import dev.camelollama.api.ChatRequest;
import dev.camelollama.api.CreateModelRequest;
import dev.camelollama.api.GenerateRequest;
import dev.camelollama.api.ModelInfo;
import dev.camelollama.api.RunningModel;
import dev.camelollama.api.ShowModelResponse;
import dev.camelollama.api.ToolCall;
import dev.camelollama.client.ModelNotFoundException;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaServerException;
import dev.camelollama.client.OllamaStreamInterruptedException;
import dev.camelollama.simulator.RecordedRequest;
import dev.camelollama.simulator.ScriptedReply;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The request side of the conformance folder, for every row of {@code INDEX.tsv}: each documented request is
 * expressed the way a Camel user would (endpoint URI options first, then headers, then the body; a whole request
 * record only where the payload needs fields no option or header sets), sent through a real route to the simulator
 * scripted with the documented reply, and then
 * <ul>
 * <li>the recorded method and path must be the documented ones;</li>
 * <li>the recorded body must be JSON-equal to the documented request (Jackson tree equality, so field order does
 * not matter), up to the normalisations listed in {@link #assertSentAsDocumented};</li>
 * <li>the decoded result must have the documented body type and key values (kept light for chat and generate,
 * whose decode side {@link ConformanceReplayTest} covers in depth).</li>
 * </ul>
 * A row that cannot be covered is skipped through {@link Assumptions#abort(String)} with its reason, from
 * {@link #NOT_COVERED} (the component cannot express the request) or {@link #COMPONENT_BUGS} (it can, but sends
 * something else). A row of the index with no case here fails, so a new payload cannot go unnoticed.
 */
@Timeout(60)
class ConformanceRequestTest extends SimulatorTestSupport {

    private static final String FOLDER = "conformance/ollama";
    /** Small input files a user would keep next to the route: tool lists and a JSON schema. */
    private static final String INPUTS = "resource:classpath:conformance-inputs/";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Sorted keys and indentation, only to make a failure's two JSON texts comparable by eye. */
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    /** The info paths take only path-bound scripts in the simulator (health checks must not eat a script). */
    private static final Set<String> INFO_PATHS = Set.of("/api/tags", "/api/version");
    private static final Duration TAKE_TIMEOUT = Duration.ofSeconds(5);

    /** Rows whose documented request the component has no way to send, with the reason. */
    private static final Map<String, String> NOT_COVERED = Map.of(
            "embeddings-legacy",
            "no operation sends POST /api/embeddings (the legacy endpoint, superseded by /api/embed): the embed "
            + "operation always sends {model, input} to /api/embed, so the documented {model, prompt} request "
            + "to /api/embeddings cannot be produced",
            "web-search",
            "OPTIONAL hosted endpoint (POST https://ollama.com/api/web_search with a Bearer key, or a local "
            + "/api/experimental/web_search proxy): the component has no web-search operation",
            "src-error-missing-body",
            "the documented request has no body at all; every generate or chat request the component sends is a "
            + "JSON object with at least the model (a missing model or a blank prompt is refused before any HTTP "
            + "call), so Ollama's 400 'missing request body' cannot be provoked through the component; decoding "
            + "that 400 is covered by ConformanceReplayTest with a placeholder prompt");

    /** Rows the component can express but sends or decodes differently from the docs. Empty: none found. */
    private static final Map<String, String> COMPONENT_BUGS = Map.of();

    /**
     * Numbers are compared by value: the docs write {@code "temperature":0} where the component, which types
     * temperature as a floating-point option, writes {@code 0.0}; JSON does not tell 0 from 0.0 and Ollama decodes
     * both into the same float. Every other value must be equal as Jackson defines it.
     */
    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (expected, actual) -> {
        if (expected.equals(actual)) {
            return 0;
        }
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue());
        }
        return 1;
    };

    @TempDir
    Path tempDir;

    /** One row of INDEX.tsv; named after the row in the test report. */
    record Row(String name, String method, String path, int status, boolean streaming, String notes) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What the user puts on the message before {@code to("ollama:...")}. */
    @FunctionalInterface
    interface Input {
        void apply(Message in) throws Exception;

        default Input and(Input next) {
            return in -> {
                apply(in);
                next.apply(in);
            };
        }
    }

    /** What the route must see after {@code to("ollama:...")}. */
    @FunctionalInterface
    interface Check {
        void verify(Exchange result) throws Exception;

        default Check and(Check next) {
            return result -> {
                verify(result);
                next.verify(result);
            };
        }
    }

    /**
     * How a Camel user expresses one documented request.
     *
     * @param operation the URI's operation
     * @param options   the URI's options, exactly as a user writes them (baseUrl and maximumRedeliveries=0 are added)
     * @param input     headers and body
     * @param check     the decoded result
     */
    record Case(String operation, String options, Input input, Check check) {

        /** The {@code stream} value the reply mode asks Ollama for: false only with streaming=off. */
        boolean streamAsked() {
            return !("&" + options + "&").contains("&streaming=off&");
        }
    }

    static Stream<Row> rows() {
        return readIndex().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void sendsTheDocumentedRequestAndDecodesTheDocumentedReply(Row row) throws Exception {
        String notCovered = NOT_COVERED.get(row.name());
        if (notCovered != null) {
            Assumptions.abort("not covered: " + notCovered);
        }
        String bug = COMPONENT_BUGS.get(row.name());
        if (bug != null) {
            Assumptions.abort("component bug: " + bug);
        }
        Case given = caseFor(row);
        String uri = "ollama:" + given.operation() + "?baseUrl=" + sim.baseUrl() + "&maximumRedeliveries=0"
                     + (given.options().isEmpty() ? "" : "&" + given.options());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // failures are expected for the error rows; the exchange keeps the exception for the checks
                errorHandler(noErrorHandler());
                from("direct:row").to(uri);
            }
        });
        ScriptedReply reply = ScriptedReply.fromConformance(responseFile(row), row.status(), row.streaming());
        if (INFO_PATHS.contains(row.path())) {
            sim.enqueueFor(row.path(), reply);
        } else {
            sim.enqueue(reply);
        }

        Exchange result = template.send("direct:row", exchange -> given.input().apply(exchange.getIn()));

        RecordedRequest sent = sim.takeRequest(TAKE_TIMEOUT);
        assertNotNull(sent, row + ": the simulator saw no request");
        assertEquals(1, sim.requestCount(), row + ": exactly one request (no redelivery, no extra look-up)");
        assertEquals(0, sim.queuedReplies(), row + ": the documented reply was served");
        assertEquals(row.method(), sent.method(), row + ": method");
        if (row.notes().contains("BINARY_BODY")) {
            assertUploadAsDocumented(row, sent);
        } else {
            assertEquals(row.path(), sent.path(), row + ": path");
            assertSentAsDocumented(row, sent, given.streamAsked());
        }
        given.check().verify(result);
    }

    // ---- the cases: one per row, written the way a route would be

    private Case caseFor(Row row) throws Exception {
        JsonNode documented = documentedRequest(row);
        return switch (row.name()) {
            // -- generate
            case "generate-stream" -> new Case("generate", "model=llama3.2",
                    body("Why is the sky blue?"), generated(row));
            case "generate-no-stream" -> new Case("generate", "model=llama3.2&streaming=off",
                    body("Why is the sky blue?"), generated(row));
            case "generate-suffix" -> new Case("generate",
                    // the four leading spaces are part of the documented suffix; RAW() states that they are meant
                    "model=codellama:code&streaming=off&suffix=RAW(    return result)&temperature=0",
                    body("def compute_gcd(a, b):"), generated(row));
            case "generate-structured-outputs" -> new Case("generate",
                    "model=llama3.1:8b&streaming=off&format=" + INPUTS + "age-available-schema.json",
                    body("Ollama is 22 years old and is busy saving the world. Respond using JSON"),
                    generated(row).and(replyIsJson(row, "age", 22)));
            case "generate-json-mode" -> new Case("generate", "model=llama3.2&streaming=off&format=json",
                    body("What color is the sky at different times of the day? Respond using JSON"),
                    generated(row).and(replyIsJson(row, null, 0)));
            case "generate-images" -> {
                // the user has the picture's bytes; the component base64-encodes them
                byte[] picture = Base64.getDecoder().decode(documented.get("images").get(0).textValue());
                yield new Case("generate", "model=llava&streaming=off",
                        body("What is in this picture?").and(header(OllamaConstants.IMAGES, picture)),
                        generated(row));
            }
            case "generate-raw" -> new Case("generate", "model=mistral&streaming=off&raw=true",
                    body("[INST] why is the sky blue? [/INST]"), noDocumentedReply(row));
            case "generate-reproducible-seed" -> new Case("generate", "model=mistral&seed=123",
                    body("Why is the sky blue?"), generated(row));
            case "generate-options-all" -> new Case("generate", String.join("&",
                    "model=llama3.2", "streaming=off",
                    // the typed options first, then the rest with the options. prefix, as a user would
                    "seed=42", "numPredict=100", "topK=20", "topP=0.9", "minP=0.0", "temperature=0.8",
                    "repeatPenalty=1.2", "numCtx=1024",
                    // stop sequences are comma-separated; the first is a newline, URL-encoded
                    "stop=%0A,user:",
                    "options.num_keep=5", "options.draft_num_predict=4", "options.typical_p=0.7",
                    "options.repeat_last_n=33", "options.presence_penalty=1.5",
                    "options.frequency_penalty=1.0", "options.penalize_newline=true", "options.numa=false",
                    "options.num_batch=2", "options.num_gpu=1", "options.main_gpu=0", "options.use_mmap=true",
                    "options.num_thread=8"),
                    body("Why is the sky blue?"), generated(row));
            case "generate-load-model" -> new Case("generate", "model=llama3.2",
                    // no prompt at all: the component refuses a blank String body (and a blank CamelOllamaPrompt
                    // header would send "prompt":""), so an empty GenerateRequest is the way to load a model
                    body(emptyGenerateRequest()), generated(row));
            case "generate-unload-model" -> new Case("generate", "model=llama3.2",
                    body(emptyGenerateRequest()).and(header(OllamaConstants.KEEP_ALIVE, 0)), generated(row));
            case "generate-stream-full" -> new Case("generate", "model=gemma4",
                    body("Why is the sky blue?"), generated(row));
            case "generate-stream-disabled" -> new Case("generate", "model=gemma4&streaming=off",
                    body("Why is the sky blue?"), generated(row));
            case "generate-usage-metrics" -> new Case("generate", "model=gemma4&streaming=off",
                    body("Why is the sky blue?"), generated(row).and(allMetrics(row)));

            // -- chat
            case "chat-stream" -> new Case("chat", "model=llama3.2",
                    body("why is the sky blue?"), generated(row));
            case "chat-stream-tools" -> new Case("chat", "model=llama3.2&tools=" + INPUTS + "get-weather-tools.json",
                    body("what is the weather in tokyo?"), generated(row).and(toolCalls("get_weather")));
            case "chat-no-stream" -> new Case("chat", "model=llama3.2&streaming=off",
                    body("why is the sky blue?"), generated(row));
            case "chat-no-stream-tools" -> new Case("chat",
                    "model=llama3.2&streaming=off&tools=" + INPUTS + "get-weather-tools.json",
                    body("what is the weather in tokyo?"), generated(row).and(toolCalls("get_weather")));
            case "chat-structured-outputs" -> new Case("chat", "model=llama3.1&streaming=off&temperature=0",
                    // the schema as the CamelOllamaFormat header (a JSON String), the other way to set it
                    body("Ollama is 22 years old and busy saving the world. Return a JSON object with the age and "
                         + "availability.")
                            .and(header(OllamaConstants.FORMAT, classpathText("age-available-schema.json"))),
                    generated(row).and(replyIsJson(row, "age", 22)));
            case "chat-history-stream" -> new Case("chat", "model=llama3.2",
                    body(List.of(ChatMessage.user("why is the sky blue?"),
                            ChatMessage.assistant("due to rayleigh scattering."),
                            ChatMessage.user("how is that different than mie scattering?"))),
                    generated(row));
            case "chat-history-tools" -> {
                ToolCall call = new ToolCall(null, new ToolCall.Function(null, "get_weather",
                        Map.of("city", "Toronto")));
                yield new Case("chat", "model=llama3.2&streaming=off&tools=" + INPUTS + "get-weather-tools.json",
                        body(List.of(ChatMessage.user("what is the weather in Toronto?"),
                                new ChatMessage("assistant", "", null, null, List.of(call), null),
                                ChatMessage.tool("get_weather", "11 degrees celsius"))),
                        generated(row));
            }
            case "chat-images" -> new Case("chat", "model=llava",
                    // base64 text this time, as it arrives from a JSON API
                    body("what is in this image?").and(header(OllamaConstants.IMAGES,
                            documented.get("messages").get(0).get("images").get(0).textValue())),
                    generated(row));
            case "chat-reproducible" -> new Case("chat", "model=llama3.2&seed=101&temperature=0",
                    body("Hello!"), generated(row));
            case "chat-tools-weather" -> new Case("chat",
                    "model=llama3.2&streaming=off&tools=" + INPUTS + "get-current-weather-tools.json",
                    body("What is the weather today in Paris?"), generated(row).and(toolCalls("get_current_weather")));
            case "chat-load-model" -> new Case("chat", "model=llama3.2",
                    // an empty List<ChatMessage> body is refused, so an empty conversation goes as a ChatRequest
                    body(emptyChatRequest()), generated(row));
            case "chat-unload-model" -> new Case("chat", "model=llama3.2&keepAlive=0",
                    body(emptyChatRequest()), generated(row));
            case "chat-think" -> new Case("chat", "model=qwen3&streaming=off&think=true",
                    body("How many letter r are in strawberry?"), noDocumentedReply(row));
            case "chat-think-level" -> new Case("chat", "model=gpt-oss&think=low",
                    body("What is 1+1?"), noDocumentedReply(row));

            // -- create (a body record: the create fields have no options), the name from the model option
            case "create-from-model" -> new Case("createModel", "model=mario",
                    body(CreateModelRequest.from(null, "llama3.2", "You are Mario from Super Mario Bros.")),
                    progressEnded(row));
            case "create-quantize" -> new Case("createModel", "model=llama3.2:quantized",
                    body(new CreateModelRequest(null, "llama3.2:3b-instruct-fp16", null, null, null, null, null,
                            null, null, "q4_K_M", null)),
                    progressEnded(row));
            case "create-from-gguf" -> new Case("createModel", "model=my-gguf-model",
                    body(CreateModelRequest.fromFiles(null, Map.of("test.gguf",
                            "sha256:432f310a77f4650a88d0fd59ecdd7cebed8d684bafea53cbff0473542964f0c3"))),
                    progressEnded(row));
            case "create-from-safetensors" -> {
                Map<String, String> files = new LinkedHashMap<>();
                files.put("config.json", "sha256:dd3443e529fb2290423a0c65c2d633e67b419d273f170259e27297219828e389");
                files.put("generation_config.json",
                        "sha256:88effbb63300dbbc7390143fbbdd9d9fa50587b37e8bfd16c8c90d4970a74a36");
                files.put("special_tokens_map.json",
                        "sha256:b7455f0e8f00539108837bfa586c4fbf424e31f8717819a6798be74bef813d05");
                files.put("tokenizer.json", "sha256:bbc1904d35169c542dffbe1f7589a5994ec7426d9e5b609d07bab876f32e97ab");
                files.put("tokenizer_config.json",
                        "sha256:24e8a6dc2547164b7002e3125f10b415105644fcf02bf9ad8b674c87b1eaaed6");
                files.put("model.safetensors",
                        "sha256:1ff795ff6a07e6a68085d206fb84417da2f083f68391c2843cd2b8ac6df8538f");
                yield new Case("createModel", "model=fred", body(CreateModelRequest.fromFiles(null, files)),
                        progressEnded(row));
            }

            // -- blobs
            case "blob-head-exists" -> new Case("blobExists", "",
                    body("sha256:29fdb92e57cf0827ded04ae6461b5931d01fa595843f55d36f5b275a52087dd2"),
                    result -> {
                        assertNull(result.getException(), () -> row + ": " + result.getException());
                        assertEquals(Boolean.TRUE, result.getMessage().getBody(), row + ": 200 means it exists");
                        assertEquals("sha256:29fdb92e57cf0827ded04ae6461b5931d01fa595843f55d36f5b275a52087dd2",
                                result.getMessage().getHeader(OllamaConstants.DIGEST), row + ": digest header");
                    });
            case "blob-push" -> {
                Path gguf = Files.write(tempDir.resolve("model.gguf"),
                        "GGUF stand-in for the documented model.gguf".getBytes(StandardCharsets.UTF_8));
                String digest = sha256(Files.readAllBytes(gguf));
                yield new Case("pushBlob", "", body(gguf), result -> {
                    assertNull(result.getException(), () -> row + ": 201 is a success: " + result.getException());
                    assertEquals(digest, result.getMessage().getBody(), row + ": body is the digest");
                    assertEquals(digest, result.getMessage().getHeader(OllamaConstants.DIGEST), row + ": header");
                });
            }

            // -- model management
            case "tags" -> new Case("listModels", "", body(null), result -> {
                assertNull(result.getException(), () -> row + ": " + result.getException());
                List<?> models = assertInstanceOf(List.class, result.getMessage().getBody(), row + ": a List");
                JsonNode expected = lastLine(row).get("models");
                assertEquals(expected.size(), models.size(), row + ": number of models");
                ModelInfo first = assertInstanceOf(ModelInfo.class, models.get(0), row + ": ModelInfo");
                assertEquals(expected.get(0).get("name").textValue(), first.name(), row + ": name");
                assertEquals(expected.get(0).get("size").longValue(), first.size(), row + ": size");
            });
            case "show" -> new Case("showModel", "model=llava", body(null), result -> {
                assertNull(result.getException(), () -> row + ": " + result.getException());
                ShowModelResponse shown = assertInstanceOf(ShowModelResponse.class, result.getMessage().getBody(),
                        row + ": ShowModelResponse");
                JsonNode expected = lastLine(row);
                assertEquals(expected.get("details").get("family").textValue(), shown.details().family(),
                        row + ": details.family");
                assertEquals(expected.get("template").textValue(), shown.template(), row + ": template");
            });
            case "ps", "ps-context-length" -> new Case("runningModels", "", body(null), result -> {
                assertNull(result.getException(), () -> row + ": " + result.getException());
                List<?> models = assertInstanceOf(List.class, result.getMessage().getBody(), row + ": a List");
                JsonNode expected = lastLine(row).get("models");
                assertEquals(expected.size(), models.size(), row + ": number of models");
                RunningModel first = assertInstanceOf(RunningModel.class, models.get(0), row + ": RunningModel");
                assertEquals(expected.get(0).get("name").textValue(), first.name(), row + ": name");
                assertEquals(expected.get(0).get("size_vram").longValue(), first.sizeVram(), row + ": size_vram");
                assertEquals(expected.get(0).has("context_length")
                        ? expected.get(0).get("context_length").longValue() : null, first.contextLength(),
                        row + ": context_length");
            });
            case "version" -> new Case("version", "", body(null), result -> {
                assertNull(result.getException(), () -> row + ": " + result.getException());
                assertEquals(lastLine(row).get("version").textValue(), result.getMessage().getBody(),
                        row + ": the version String");
            });
            case "copy" -> new Case("copyModel", "model=llama3.2&destination=llama3-backup", body(null),
                    emptySuccess(row));
            case "delete" -> new Case("deleteModel", "model=llama3:13b", body(null), emptySuccess(row));
            case "pull-stream" -> new Case("pullModel", "model=llama3.2", body(null), progressEnded(row));
            case "pull-no-stream" -> new Case("pullModel", "model=gemma4&streaming=off", body(null),
                    progressEnded(row));
            case "push-stream" -> new Case("pushModel", "model=mattw/pygmalion:latest", body(null),
                    progressEnded(row));
            case "push-no-stream" -> new Case("pushModel", "model=my-username/my-model&streaming=off", body(null),
                    progressEnded(row));

            // -- embed
            case "embed-single" -> new Case("embed", "model=all-minilm", body("Why is the sky blue?"), result -> {
                assertNull(result.getException(), () -> row + ": " + result.getException());
                float[] vector = assertInstanceOf(float[].class, result.getMessage().getBody(), row + ": float[]");
                JsonNode expected = lastLine(row);
                assertVector(row, expected.get("embeddings").get(0), vector);
                assertEquals(expected.get("prompt_eval_count").longValue(),
                        result.getMessage().getHeader(OllamaConstants.PROMPT_EVAL_COUNT), row + ": token count");
            });
            case "embed-batch" -> new Case("embed", "model=all-minilm",
                    body(List.of("Why is the sky blue?", "Why is the grass green?")), result -> {
                        assertNull(result.getException(), () -> row + ": " + result.getException());
                        List<?> vectors = assertInstanceOf(List.class, result.getMessage().getBody(),
                                row + ": List<float[]>");
                        JsonNode expected = lastLine(row).get("embeddings");
                        assertEquals(expected.size(), vectors.size(), row + ": one vector per input");
                        for (int i = 0; i < vectors.size(); i++) {
                            assertVector(row, expected.get(i), assertInstanceOf(float[].class, vectors.get(i)));
                        }
                    });

            // -- errors
            case "error-body" -> new Case("generate", "model=llama3.2",
                    // REQUEST_UNSPECIFIED: any generate request; see assertSentAsDocumented
                    body("Why is the sky blue?"), result -> {
                        OllamaServerException failure = assertInstanceOf(OllamaServerException.class,
                                result.getException(), row + ": a 500 is an OllamaServerException");
                        assertEquals(500, failure.getStatusCode(), row + ": status");
                        assertEquals(errorOf(row), failure.getServerMessage(), row + ": server message");
                    });
            case "error-mid-stream" -> new Case("generate", "model=gemma4", body("Why is the sky blue?"), result -> {
                OllamaStreamInterruptedException failure = assertInstanceOf(
                        OllamaStreamInterruptedException.class, result.getException(),
                        row + ": an error line after text is an interrupted stream");
                assertEquals(replyText(row), failure.getPartialText(), row + ": the text before the error");
                OllamaServerException cause = assertInstanceOf(OllamaServerException.class, failure.getCause(),
                        row + ": cause");
                assertEquals(errorOf(row), cause.getServerMessage(), row + ": server message");
            });
            case "src-error-model-not-found" -> new Case("generate", "",
                    // the model from the header this time, the per-message way to choose it
                    body("Why is the sky blue?").and(header(OllamaConstants.MODEL, "no-such-model")), result -> {
                        ModelNotFoundException failure = assertInstanceOf(ModelNotFoundException.class,
                                result.getException(), row + ": a 404 is a ModelNotFoundException");
                        assertEquals("no-such-model", failure.getModel(), row + ": model");
                        assertEquals(errorOf(row), failure.getServerMessage(), row + ": server message");
                    });
            case "src-error-server-busy" -> new Case("generate", "model=llama3.2", body("Why is the sky blue?"),
                    result -> {
                        OllamaServerException failure = assertInstanceOf(OllamaServerException.class,
                                result.getException(), row + ": a 503 is an OllamaServerException");
                        assertEquals(503, failure.getStatusCode(), row + ": status");
                        assertEquals(errorOf(row), failure.getServerMessage(), row + ": server message");
                        assertTrue(failure.isRetryable(), row + ": busy is retryable");
                    });
            default -> fail(row + " has no case: add one (or a reason to NOT_COVERED)");
        };
    }

    // ---- the request side

    /**
     * The recorded body against the documented request, as JSON trees (field order does not matter). Only what the
     * docs themselves leave open is normalised:
     * <ol>
     * <li>{@code stream}: the component always says how it wants the reply (generate, chat, create), while many
     * documented requests omit it and so take the server's default, {@code true}. Where the docs omit it, the sent
     * request may omit it or send {@code true} (and must ask for what the reply mode wants); where the docs give
     * it, it must be equal.</li>
     * <li>numbers by value ({@link #NUMBERS_BY_VALUE}): {@code 0} and {@code 0.0} are the same JSON number.</li>
     * <li>a request the docs do not give (REQUEST_UNSPECIFIED, row error-body): only that the inputs went out.</li>
     * </ol>
     * Nothing else: a field the component cannot send is a NOT_COVERED row, never a normalisation.
     */
    private static void assertSentAsDocumented(Row row, RecordedRequest sent, boolean streamAsked) throws Exception {
        JsonNode documented = documentedRequest(row);
        if (row.notes().contains("REQUEST_UNSPECIFIED")) {
            JsonNode body = sent.json();
            assertNotNull(body, row + ": a JSON body");
            assertEquals("llama3.2", body.path("model").textValue(), row + ": the model given");
            assertEquals("Why is the sky blue?", body.path("prompt").textValue(), row + ": the prompt given");
            return;
        }
        if (documented == null) {
            assertEquals(0, sent.bodySize(), row + ": the documented request has no body");
            return;
        }
        JsonNode body = sent.json();
        assertNotNull(body, () -> row + ": the body is not JSON: " + sent.bodyUtf8());
        ObjectNode expected = documented.deepCopy();
        ObjectNode actual = body.deepCopy();
        if (!expected.has("stream") && actual.has("stream")) {
            JsonNode stream = actual.remove("stream");
            assertTrue(stream.isBoolean() && stream.booleanValue(), () -> row + ": the docs leave stream to the "
                                                                          + "server's default (true); sent "
                                                                          + stream);
            assertEquals(streamAsked, stream.booleanValue(), row + ": stream follows the reply mode");
        }
        if (!expected.equals(NUMBERS_BY_VALUE, actual)) {
            assertEquals(canonical(expected), canonical(actual), row + ": the sent request is not the documented one");
            fail(row + ": the sent request is not the documented one, though its canonical text is equal");
        }
    }

    /**
     * BINARY_BODY (row blob-push): the docs upload a model.gguf that they do not include, to the path named by its
     * digest. A stand-in file is uploaded instead, so the documented digest cannot be matched; what the docs
     * describe is checked: the raw bytes of the file as the body (not JSON) and the file's own sha256 in the path.
     */
    private void assertUploadAsDocumented(Row row, RecordedRequest sent) throws Exception {
        Path gguf = tempDir.resolve("model.gguf");
        byte[] file = Files.readAllBytes(gguf);
        assertTrue(row.path().matches("/api/blobs/sha256:[0-9a-f]{64}"), row + ": the documented path's shape");
        assertEquals("/api/blobs/" + sha256(file), sent.path(), row + ": the path names the file's digest");
        assertArrayEquals(file, sent.body(), row + ": the body is the file's raw bytes");
    }

    // ---- inputs

    private static Input body(Object body) {
        return in -> in.setBody(body);
    }

    private static Input header(String name, Object value) {
        return in -> in.setHeader(name, value);
    }

    private static GenerateRequest emptyGenerateRequest() {
        return new GenerateRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }

    private static ChatRequest emptyChatRequest() {
        return new ChatRequest(null, List.of(), null, null, null, null, null, null, null, null, null, null);
    }

    private static String classpathText(String name) throws IOException {
        try (InputStream in = ConformanceRequestTest.class.getClassLoader()
                .getResourceAsStream("conformance-inputs/" + name)) {
            assertNotNull(in, "conformance-inputs/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- checks of the decoded result (light for chat and generate: ConformanceReplayTest goes deep)

    /** The reply text in the body; the final line's done reason, model and token count in headers. */
    private static Check generated(Row row) {
        return result -> {
            assertNull(result.getException(), () -> row + ": unexpected failure " + result.getException());
            Message message = result.getMessage();
            assertInstanceOf(String.class, message.getBody(), row + ": the body is the reply text");
            assertEquals(replyText(row), message.getBody(), row + ": body");
            JsonNode done = lastLine(row);
            assertTrue(done.path("done").asBoolean(), row + ": the payload ends with its done line");
            assertEquals(textOrNull(done.get("done_reason")), message.getHeader(OllamaConstants.DONE_REASON),
                    row + ": " + OllamaConstants.DONE_REASON);
            assertEquals(done.get("model").textValue(), message.getHeader(OllamaConstants.MODEL),
                    row + ": " + OllamaConstants.MODEL);
            assertEquals(done.has("eval_count") ? done.get("eval_count").longValue() : null,
                    message.getHeader(OllamaConstants.EVAL_COUNT), row + ": " + OllamaConstants.EVAL_COUNT);
        };
    }

    private static Check allMetrics(Row row) {
        return result -> {
            JsonNode done = lastLine(row);
            Message message = result.getMessage();
            assertEquals(done.get("total_duration").longValue(), message.getHeader(OllamaConstants.TOTAL_DURATION));
            assertEquals(done.get("load_duration").longValue(), message.getHeader(OllamaConstants.LOAD_DURATION));
            assertEquals(done.get("prompt_eval_count").longValue(),
                    message.getHeader(OllamaConstants.PROMPT_EVAL_COUNT));
            assertEquals(done.get("prompt_eval_duration").longValue(),
                    message.getHeader(OllamaConstants.PROMPT_EVAL_DURATION));
            assertEquals(done.get("eval_duration").longValue(), message.getHeader(OllamaConstants.EVAL_DURATION));
        };
    }

    /** Structured output: the reply text is itself JSON (with this integer field, when named). */
    private static Check replyIsJson(Row row, String field, int value) {
        return result -> {
            JsonNode reply = JSON.readTree(result.getMessage().getBody(String.class));
            assertTrue(reply.isObject(), row + ": the reply text is a JSON object");
            if (field != null) {
                assertEquals(value, reply.path(field).intValue(), row + ": " + field);
            }
        };
    }

    private static Check toolCalls(String... names) {
        return result -> {
            List<?> calls = assertInstanceOf(List.class, result.getMessage().getHeader(OllamaConstants.TOOL_CALLS),
                    OllamaConstants.TOOL_CALLS);
            List<String> called = new ArrayList<>();
            for (Object call : calls) {
                called.add(assertInstanceOf(ToolCall.class, call).function().name());
            }
            assertEquals(List.of(names), called, OllamaConstants.TOOL_CALLS);
        };
    }

    /**
     * UNDOCUMENTED_RESPONSE: the docs give no reply, so the payload is an empty 200 body. That is no reply at all;
     * the component must fail rather than invent an empty answer (as ConformanceReplayTest requires too).
     */
    private static Check noDocumentedReply(Row row) {
        return result -> {
            assertTrue(Files.readString(responseFile(row)).isBlank(), row + ": the payload has no reply");
            assertInstanceOf(OllamaException.class, result.getException(), row + ": an empty body is no reply");
        };
    }

    /** copy and delete: NO_BODY 200, the body after the call is null. */
    private static Check emptySuccess(Row row) {
        return result -> {
            assertNull(result.getException(), () -> row + ": " + result.getException());
            assertNull(result.getMessage().getBody(), row + ": no body");
        };
    }

    /** pull, push, create (all reply modes but split): the body is the last status, success. */
    private static Check progressEnded(Row row) {
        return result -> {
            assertNull(result.getException(), () -> row + ": " + result.getException());
            List<JsonNode> lines = responseLines(row);
            String last = lines.get(lines.size() - 1).get("status").textValue();
            assertEquals("success", last, row + ": the payload ends in success");
            assertEquals(last, result.getMessage().getBody(), row + ": body");
            assertEquals(last, result.getMessage().getHeader(OllamaConstants.STATUS), row + ": status header");
            assertEquals((long) lines.size(), result.getMessage().getHeader(OllamaConstants.CHUNK_COUNT),
                    row + ": every progress line was read");
        };
    }

    private static void assertVector(Row row, JsonNode expected, float[] actual) {
        assertEquals(expected.size(), actual.length, row + ": dimensions");
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expected.get(i).floatValue(), actual[i], row + ": component " + i);
        }
    }

    // ---- the payloads, read with the tree model only

    /** The concatenated text of the lines before any error line: response (generate) or message.content (chat). */
    private static String replyText(Row row) {
        StringBuilder text = new StringBuilder();
        for (JsonNode line : responseLines(row)) {
            if (line.has("error")) {
                break;
            }
            JsonNode part = line.has("message") ? line.get("message").get("content") : line.get("response");
            if (part != null && part.isTextual()) {
                text.append(part.textValue());
            }
        }
        return text.toString();
    }

    private static JsonNode lastLine(Row row) {
        List<JsonNode> lines = responseLines(row);
        assertTrue(!lines.isEmpty(), row + ": the payload has a reply");
        return lines.get(lines.size() - 1);
    }

    private static String errorOf(Row row) {
        return lastLine(row).get("error").textValue();
    }

    private static List<JsonNode> responseLines(Row row) {
        return ConformancePayloads.responseLines(row.name());
    }

    /** The documented request body, or null when the docs give none. */
    private static JsonNode documentedRequest(Row row) {
        return ConformancePayloads.documentedRequest(row.name());
    }

    private static List<Row> readIndex() {
        return ConformancePayloads.indexRows().stream().map(c -> new Row(c[0], c[1], c[2], Integer.parseInt(c[3]), "yes".equals(c[4]), c.length > 5 ? c[5] : "")).toList();
    }

    private static Path folder() {
        return ConformancePayloads.folder();
    }

    private static Path responseFile(Row row) {
        return ConformancePayloads.responseFile(row.name());
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    private static String canonical(JsonNode node) throws IOException {
        return CANONICAL.writeValueAsString(JSON.treeToValue(node, Object.class));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
