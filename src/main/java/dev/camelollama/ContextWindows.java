package dev.camelollama;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.camelollama.client.DocumentReply;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;
import dev.camelollama.client.ReplyListener;
import dev.camelollama.client.RetryPolicy;
import dev.camelollama.client.Timeouts;

/**
 * The context window of each model when the request does not set {@code num_ctx}: learnt once per server and model
 * from {@code /api/show} (a {@code num_ctx} parameter of the Modelfile, else the model's own
 * {@code <arch>.context_length}) and cached. The look-up runs beside the first generation instead of before it, so
 * it never delays a reply; the first reply of a model is checked only if the look-up was faster than the
 * generation.
 */
final class ContextWindows {

    private static final Pattern NUM_CTX = Pattern.compile("(?m)^\\s*num_ctx\\s+(\\d+)");
    private static final long UNKNOWN = -1;

    private final Map<String, Long> windows = new ConcurrentHashMap<>();

    /** The window in tokens, or null when not known (yet). */
    Long known(String server, String model) {
        Long window = windows.get(server + " " + model);
        return window == null || window == UNKNOWN ? null : window;
    }

    /** Starts the look-up for this model unless it is known or under way. */
    void learn(OllamaEndpoint endpoint, OllamaClient client, String model) {
        String server = endpoint.getBaseUri().toString();
        String key = server + " " + model;
        if (windows.putIfAbsent(key, UNKNOWN) != null) {
            return;
        }
        ObjectMapper mapper = client.mapper();
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(Map.of("model", model));
        } catch (Exception e) {
            return;
        }
        OllamaRequest show = new OllamaRequest(endpoint.getBaseUri(), "POST", "/api/show", body, ReplyFormat.DOCUMENT,
                model, endpoint.requestHeaders(), new Timeouts(10_000, 30_000, 30_000, 60_000), RetryPolicy.NONE);
        client.document(show, new ReplyListener<>() {
            @Override
            public void onReply(DocumentReply reply) {
                Long window = reply.found() ? parse(mapper, reply.body()) : null;
                if (window != null) {
                    windows.put(key, window);
                }
            }

            @Override
            public void onFailure(OllamaException failure) {
                // the check is a courtesy: without the window it is skipped
            }
        });
    }

    static Long parse(ObjectMapper mapper, byte[] body) {
        try {
            JsonNode show = mapper.readTree(new String(body, StandardCharsets.UTF_8));
            JsonNode parameters = show.get("parameters");
            if (parameters != null && parameters.isTextual()) {
                Matcher matcher = NUM_CTX.matcher(parameters.asText());
                if (matcher.find()) {
                    return Long.parseLong(matcher.group(1));
                }
            }
            JsonNode info = show.get("model_info");
            if (info != null) {
                for (Iterator<Map.Entry<String, JsonNode>> fields = info.fields(); fields.hasNext();) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getKey().endsWith(".context_length") && field.getValue().canConvertToLong()) {
                        return field.getValue().asLong();
                    }
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }
}
