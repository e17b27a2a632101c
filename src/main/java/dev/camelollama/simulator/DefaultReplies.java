package dev.camelollama.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the simulator answers when no script is queued: Ollama's health and version endpoints, deterministic
 * generate/chat/embed replies, and the model-management endpoints over a small state (local models, registry,
 * blobs, loaded models), with Ollama's status codes and error texts for a bad body or an unknown model.
 */
final class DefaultReplies {

    static final String VERSION = "0.33.0-sim";

    /** Paths that always answer by default, so health checks and model lists never eat a scripted reply. */
    static final Set<String> UNSCRIPTED_PATHS = Set.of("/", "/api/version", "/api/tags");

    /** Ollama's words when the registry has no such model. */
    static final String PULL_NOT_FOUND = "pull model manifest: file does not exist";

    private static final Pattern DIGEST = Pattern.compile("sha256[:-][0-9a-f]{64}");
    private static final String BLOBS = "/api/blobs/";

    /** A request the endpoint refuses: the reply is ready. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ReplyPlan plan;

        Refused(ReplyPlan plan) {
            super(null, null, false, false);
            this.plan = plan;
        }
    }

    private DefaultReplies() {
    }

    static ReplyPlan plan(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        try {
            return route(request, settings, simulator);
        } catch (Refused refused) {
            return refused.plan;
        }
    }

    private static ReplyPlan route(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        String method = request.method();
        String path = request.path();
        if (path.startsWith(BLOBS)) {
            return blob(request, simulator);
        }
        switch (path) {
            case "/":
                return readOnly(method) ? ReplyPlan.text(200, "Ollama is running") : methodNotAllowed("GET, HEAD");
            case "/api/version":
                return readOnly(method)
                        ? ReplyPlan.json(200, "{\"version\":\"" + VERSION + "\"}")
                        : methodNotAllowed("GET, HEAD");
            case "/api/tags":
                return readOnly(method)
                        ? ReplyPlan.json(200, settings.catalog().tagsJson())
                        : methodNotAllowed("GET, HEAD");
            case "/api/ps":
                return readOnly(method)
                        ? ReplyPlan.json(200, settings.catalog().psJson(simulator.loadedModels()))
                        : methodNotAllowed("GET, HEAD");
            case "/api/generate":
                return "POST".equals(method) ? generation(request, settings, false, simulator)
                        : methodNotAllowed("POST");
            case "/api/chat":
                return "POST".equals(method) ? generation(request, settings, true, simulator)
                        : methodNotAllowed("POST");
            case "/api/embed":
                return "POST".equals(method) ? embed(request, settings, simulator) : methodNotAllowed("POST");
            case "/api/show":
                return "POST".equals(method) ? show(request, settings) : methodNotAllowed("POST");
            case "/api/pull":
                return "POST".equals(method) ? pull(request, settings, simulator) : methodNotAllowed("POST");
            case "/api/push":
                return "POST".equals(method) ? push(request, settings, simulator) : methodNotAllowed("POST");
            case "/api/create":
                return "POST".equals(method) ? create(request, settings, simulator) : methodNotAllowed("POST");
            case "/api/copy":
                return "POST".equals(method) ? copy(request, settings, simulator) : methodNotAllowed("POST");
            case "/api/delete":
                return "DELETE".equals(method) ? delete(request, settings, simulator) : methodNotAllowed("DELETE");
            default:
                return ReplyPlan.text(404, "404 page not found");
        }
    }

    // ---- generate, chat, embed

    private static ReplyPlan generation(RecordedRequest request, SimulatorSettings settings, boolean chat,
            OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model");
        if (!settings.acceptAnyModel() && !settings.catalog().contains(model)) {
            return ReplyPlan.error(404, "model '" + model + "' not found");
        }
        JsonNode streamNode = json.get("stream");
        if (streamNode != null && !streamNode.isNull() && !streamNode.isBoolean()) {
            return ReplyPlan.error(400, "stream must be a boolean");
        }
        boolean stream = streamNode == null || !streamNode.isBoolean() || streamNode.booleanValue();
        JsonNode topNode = json.get("top_logprobs");
        int topLogprobs = 0;
        if (topNode != null && !topNode.isNull()) {
            if (!topNode.isIntegralNumber()) {
                String type = topNode.getNodeType().name().toLowerCase(Locale.ROOT);
                return ReplyPlan.error(400, "json: cannot unmarshal " + type + " into Go struct field "
                                            + ".top_logprobs of type int");
            }
            topLogprobs = topNode.intValue();
            if (topLogprobs < 0 || topLogprobs > 20) {
                return ReplyPlan.error(400, "top_logprobs must be between 0 and 20");
            }
        }
        boolean logprobs = json.path("logprobs").asBoolean(false);
        String prompt = chat ? lastUserContent(json) : json.path("prompt").asText("");
        DeterministicReply reply = new DeterministicReply(chat, model, prompt, settings.chunkCount(), logprobs,
                topLogprobs);
        ReplyPlan plan = stream
                ? ReplyPlan.stream(200, reply.streamLines())
                : ReplyPlan.json(200, reply.singleObject());
        plan.firstByteDelay = settings.firstByteDelay();
        plan.lineDelay = settings.chunkDelay();
        if (settings.catalog().contains(model)) {
            simulator.markLoaded(model);
        }
        return plan;
    }

    private static ReplyPlan embed(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model");
        if (!settings.acceptAnyModel() && !settings.catalog().contains(model)) {
            return ReplyPlan.error(404, "model '" + model + "' not found");
        }
        List<String> inputs = new ArrayList<>();
        JsonNode input = json.get("input");
        if (input != null && input.isTextual()) {
            inputs.add(input.asText());
        } else if (input != null && input.isArray()) {
            for (JsonNode item : input) {
                if (!item.isTextual()) {
                    return ReplyPlan.error(400, "invalid input type");
                }
                inputs.add(item.asText());
            }
        } else if (input != null && !input.isNull()) {
            return ReplyPlan.error(400, "invalid input type");
        }
        int dimensions = 0;
        JsonNode dimensionsNode = json.get("dimensions");
        if (dimensionsNode != null && !dimensionsNode.isNull()) {
            if (!dimensionsNode.canConvertToInt() || dimensionsNode.intValue() < 0
                || dimensionsNode.intValue() > Embeddings.MAX_DIMENSIONS) {
                return ReplyPlan.error(400, "dimensions must be a whole number from 0 to "
                                            + Embeddings.MAX_DIMENSIONS);
            }
            dimensions = dimensionsNode.intValue();
        }
        ObjectNode reply = SimulatorJson.object();
        reply.put("model", model);
        ArrayNode embeddings = reply.putArray("embeddings");
        int words = 0;
        for (String text : inputs) {
            ArrayNode vector = embeddings.addArray();
            for (float component : Embeddings.vector(text, dimensions)) {
                vector.add(component);
            }
            words += DeterministicReply.words(text).length;
        }
        reply.put("total_duration", 1_000_000L + 100_000L * words);
        reply.put("load_duration", 1_000_000L);
        reply.put("prompt_eval_count", words);
        if (settings.catalog().contains(model)) {
            simulator.markLoaded(model);
        }
        ReplyPlan plan = ReplyPlan.json(200, SimulatorJson.write(reply));
        plan.firstByteDelay = settings.firstByteDelay();
        return plan;
    }

    // ---- model management

    private static ReplyPlan show(RecordedRequest request, SimulatorSettings settings) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model", "name");
        if (!settings.catalog().contains(model)) {
            return ReplyPlan.error(404, "model '" + model + "' not found");
        }
        return ReplyPlan.json(200, settings.catalog().showJson(model, json.path("verbose").asBoolean(false)));
    }

    private static ReplyPlan pull(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model", "name");
        List<String> lines = new ArrayList<>();
        lines.add(status("pulling manifest"));
        boolean found = settings.registry().contains(model);
        if (found) {
            addPullLines(lines, model);
            lines.add(status("verifying sha256 digest"));
            lines.add(status("writing manifest"));
            lines.add(status("success"));
            simulator.changeCatalog(catalog -> catalog.contains(model) ? catalog
                    : catalog.with(ModelCatalog.Entry.plain(model)));
        }
        return progress(json, lines, found ? null : PULL_NOT_FOUND, 500, settings);
    }

    private static void addPullLines(List<String> lines, String model) {
        for (int layer = 0; layer < 2; layer++) {
            String hex = ModelCatalog.sha256Hex(ModelCatalog.key(model) + "#layer" + layer);
            long total = layer == 0 ? ModelCatalog.size(model) : 12_403L;
            String step = "pulling " + hex.substring(0, 12);
            lines.add(layerLine(step, "sha256:" + hex, total, null));
            lines.add(layerLine(step, "sha256:" + hex, total, total / 2));
            lines.add(layerLine(step, "sha256:" + hex, total, total));
        }
    }

    private static ReplyPlan push(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model", "name");
        List<String> lines = new ArrayList<>();
        if (!settings.catalog().contains(model)) {
            return progress(json, lines, "model \"" + model + "\" not found", 500, settings);
        }
        lines.add(status("retrieving manifest"));
        for (int layer = 0; layer < 2; layer++) {
            String hex = ModelCatalog.sha256Hex(ModelCatalog.key(model) + "#layer" + layer);
            long total = layer == 0 ? ModelCatalog.size(model) : 12_403L;
            String step = "pushing " + hex.substring(0, 12);
            lines.add(layerLine(step, "sha256:" + hex, total, null));
            lines.add(layerLine(step, "sha256:" + hex, total, total / 2));
            lines.add(layerLine(step, "sha256:" + hex, total, total));
        }
        lines.add(status("pushing manifest"));
        lines.add(status("success"));
        ModelCatalog.Entry entry = settings.catalog().get(model);
        simulator.changeRegistry(registry -> registry.with(entry));
        return progress(json, lines, null, 500, settings);
    }

    private static ReplyPlan create(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model", "name");
        String from = textOrNull(json.get("from"));
        Map<String, String> files = new LinkedHashMap<>();
        JsonNode filesNode = json.get("files");
        if (filesNode != null && filesNode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = filesNode.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> file = it.next();
                String digest = file.getValue().asText("").toLowerCase(Locale.ROOT).replace('-', ':');
                if (!simulator.hasBlob(digest)) {
                    return ReplyPlan.error(400, "file " + file.getKey() + ": blob " + digest + " not found; "
                                                + "upload it first with POST /api/blobs/" + digest);
                }
                files.put(file.getKey(), digest);
            }
        }
        if (from == null && files.isEmpty()) {
            return ReplyPlan.error(400, "neither 'from' or 'files' was specified");
        }
        String system = textOrNull(json.get("system"));
        String template = textOrNull(json.get("template"));
        String quantize = textOrNull(json.get("quantize"));
        List<String> lines = new ArrayList<>();
        String family;
        if (files.isEmpty()) {
            lines.add(status("reading model metadata"));
            ModelCatalog.Entry base = settings.catalog().get(from);
            if (base == null) {
                if (!settings.registry().contains(from)) {
                    lines.add(status("pulling manifest"));
                    return progress(json, lines, PULL_NOT_FOUND, 500, settings);
                }
                lines.add(status("pulling manifest"));
                addPullLines(lines, from);
                lines.add(status("verifying sha256 digest"));
                lines.add(status("writing manifest"));
                base = ModelCatalog.Entry.plain(ModelCatalog.withTag(from));
                ModelCatalog.Entry pulled = base;
                simulator.changeCatalog(catalog -> catalog.with(pulled));
            }
            family = base.family();
            if (quantize != null) {
                long total = ModelCatalog.size(from) * 3;
                String step = "quantizing F16 model to " + quantize.toUpperCase(Locale.ROOT);
                lines.add(layerLine(step, "0", total, total / 1000));
                lines.add(layerLine(step, "0", total, total));
                lines.add(status("verifying conversion"));
            }
            if (system != null) {
                lines.add(status("creating system layer"));
            }
            if (template != null) {
                lines.add(status("creating template layer"));
            }
            lines.add(status("using existing layer sha256:" + ModelCatalog.sha256Hex(base.name())));
        } else {
            boolean gguf = files.keySet().stream().anyMatch(name -> name.toLowerCase(Locale.ROOT).endsWith(".gguf"));
            lines.add(status(gguf ? "parsing GGUF" : "converting model"));
            files.values().forEach(digest -> lines.add(status("using existing layer " + digest)));
            family = "llama";
        }
        lines.add(status("writing manifest"));
        lines.add(status("success"));
        ModelCatalog.Entry created = new ModelCatalog.Entry(model, family, from, system, template, Map.copyOf(files),
                quantize);
        simulator.changeCatalog(catalog -> catalog.with(created));
        return progress(json, lines, null, 500, settings);
    }

    private static ReplyPlan copy(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String source = textOrNull(json.get("source"));
        String destination = textOrNull(json.get("destination"));
        if (source == null || destination == null) {
            return ReplyPlan.error(400, "source and destination are required");
        }
        ModelCatalog.Entry entry = settings.catalog().get(source);
        if (entry == null) {
            return ReplyPlan.error(404, "model \"" + source + "\" not found");
        }
        simulator.changeCatalog(catalog -> catalog.with(entry.renamed(destination)));
        return empty(200);
    }

    private static ReplyPlan delete(RecordedRequest request, SimulatorSettings settings, OllamaSimulator simulator) {
        JsonNode json = jsonObject(request);
        String model = requireModel(json, "model", "name");
        if (!settings.catalog().contains(model)) {
            return ReplyPlan.error(404, "model '" + model + "' not found");
        }
        simulator.changeCatalog(catalog -> catalog.without(model));
        simulator.unload(model);
        return empty(200);
    }

    private static ReplyPlan blob(RecordedRequest request, OllamaSimulator simulator) {
        String method = request.method();
        if (!"HEAD".equals(method) && !"POST".equals(method)) {
            return methodNotAllowed("HEAD, POST");
        }
        String digest = request.path().substring(BLOBS.length()).toLowerCase(Locale.ROOT);
        if (!DIGEST.matcher(digest).matches()) {
            return ReplyPlan.error(400, "invalid digest format: " + digest);
        }
        digest = digest.replace('-', ':');
        if ("HEAD".equals(method)) {
            return simulator.hasBlob(digest) ? empty(200) : ReplyPlan.error(404, "blob \"" + digest + "\" not found");
        }
        String actual = "sha256:" + ModelCatalog.hex(ModelCatalog.sha256(request.body()));
        if (!actual.equals(digest)) {
            return ReplyPlan.error(400, "digest mismatch");
        }
        return empty(simulator.addBlob(digest) ? 201 : 200);
    }

    // ---- helpers

    /**
     * A progress reply: the lines as a stream (an error line last when {@code error} is set), or with
     * {@code stream:false} only the last line, or {@code {"error"}} with {@code errorStatus}.
     */
    private static ReplyPlan progress(JsonNode json, List<String> lines, String error, int errorStatus,
            SimulatorSettings settings) {
        JsonNode streamNode = json.get("stream");
        boolean stream = streamNode == null || !streamNode.isBoolean() || streamNode.booleanValue();
        if (!stream) {
            return error != null ? ReplyPlan.error(errorStatus, error) : ReplyPlan.json(200, lines.get(lines.size() - 1));
        }
        List<byte[]> bytes = new ArrayList<>(lines.size() + 1);
        lines.forEach(line -> bytes.add(line.getBytes(StandardCharsets.UTF_8)));
        if (error != null) {
            bytes.add(SimulatorJson.error(error).getBytes(StandardCharsets.UTF_8));
        }
        ReplyPlan plan = ReplyPlan.stream(200, bytes.iterator());
        plan.lineDelay = settings.chunkDelay();
        return plan;
    }

    private static String status(String status) {
        return "{\"status\":" + SimulatorJson.quote(status) + "}";
    }

    private static String layerLine(String status, String digest, long total, Long completed) {
        ObjectNode line = SimulatorJson.object();
        line.put("status", status);
        line.put("digest", digest);
        line.put("total", total);
        if (completed != null) {
            line.put("completed", completed);
        }
        return SimulatorJson.write(line);
    }

    private static ReplyPlan empty(int status) {
        return ReplyPlan.fixed(status, null, new byte[0]);
    }

    /** The body as a JSON object, or the 400 Ollama answers. */
    private static JsonNode jsonObject(RecordedRequest request) {
        if (request.bodySize() == 0) {
            throw new Refused(ReplyPlan.error(400, "missing request body"));
        }
        JsonNode json = request.json();
        if (json == null || !json.isObject()) {
            throw new Refused(ReplyPlan.error(400, "invalid JSON in request body"));
        }
        return json;
    }

    /** The first non-blank text field of these names, or the 400 Ollama answers. */
    private static String requireModel(JsonNode json, String... fields) {
        for (String field : fields) {
            String value = textOrNull(json.get(field));
            if (value != null) {
                return value;
            }
        }
        throw new Refused(ReplyPlan.error(400, "model is required"));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || !node.isTextual() || node.asText().isBlank() ? null : node.asText();
    }

    private static String lastUserContent(JsonNode chatRequest) {
        JsonNode messages = chatRequest.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode message = messages.get(i);
            if ("user".equalsIgnoreCase(message.path("role").asText(""))) {
                return message.path("content").asText("");
            }
        }
        return "";
    }

    private static boolean readOnly(String method) {
        return "GET".equals(method) || "HEAD".equals(method);
    }

    private static ReplyPlan methodNotAllowed(String allowed) {
        ReplyPlan plan = ReplyPlan.text(405, "405 method not allowed");
        plan.headers.add(Map.entry("Allow", allowed));
        return plan;
    }
}
