package dev.camelollama.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Set;

/**
 * What the simulator answers when no script is queued: Ollama's health, version and model-list endpoints, and
 * deterministic generate/chat replies with Ollama's status codes for a bad body or an unknown model.
 */
final class DefaultReplies {

    static final String VERSION = "0.33.0-sim";

    /** Paths that always answer by default, so health checks and model lists never eat a scripted reply. */
    static final Set<String> UNSCRIPTED_PATHS = Set.of("/", "/api/version", "/api/tags");

    private DefaultReplies() {
    }

    static ReplyPlan plan(RecordedRequest request, SimulatorSettings settings) {
        String method = request.method();
        switch (request.path()) {
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
            case "/api/generate":
                return "POST".equals(method) ? generation(request, settings, false) : methodNotAllowed("POST");
            case "/api/chat":
                return "POST".equals(method) ? generation(request, settings, true) : methodNotAllowed("POST");
            default:
                return ReplyPlan.text(404, "404 page not found");
        }
    }

    private static ReplyPlan generation(RecordedRequest request, SimulatorSettings settings, boolean chat) {
        if (request.bodySize() == 0) {
            return ReplyPlan.error(400, "missing request body");
        }
        JsonNode json = request.json();
        if (json == null || !json.isObject()) {
            return ReplyPlan.error(400, "invalid JSON in request body");
        }
        JsonNode modelNode = json.get("model");
        if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
            return ReplyPlan.error(400, "model is required");
        }
        String model = modelNode.asText();
        if (!settings.acceptAnyModel() && !settings.catalog().contains(model)) {
            return ReplyPlan.error(404, "model '" + model + "' not found");
        }
        JsonNode streamNode = json.get("stream");
        if (streamNode != null && !streamNode.isNull() && !streamNode.isBoolean()) {
            return ReplyPlan.error(400, "stream must be a boolean");
        }
        boolean stream = streamNode == null || !streamNode.isBoolean() || streamNode.booleanValue();
        String prompt = chat ? lastUserContent(json) : json.path("prompt").asText("");
        DeterministicReply reply = new DeterministicReply(chat, model, prompt, settings.chunkCount());
        ReplyPlan plan = stream
                ? ReplyPlan.stream(200, reply.streamLines())
                : ReplyPlan.json(200, reply.singleObject());
        plan.firstByteDelay = settings.firstByteDelay();
        plan.lineDelay = settings.chunkDelay();
        return plan;
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
