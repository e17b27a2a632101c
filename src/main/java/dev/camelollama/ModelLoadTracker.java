package dev.camelollama;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns when a request's load-time options (num_ctx, num_batch, num_gpu, ...) or its {@code shift} flag differ from
 * the previous request for the same model on the same server: Ollama then unloads and reloads the model, which
 * costs seconds to minutes and is a common cause of slow batches. An absent {@code shift} counts as true, Ollama's
 * default, so only {@code shift=false} is part of what is compared.
 */
final class ModelLoadTracker {

    private static final Logger LOG = LoggerFactory.getLogger(ModelLoadTracker.class);

    private final Map<String, Map<String, Object>> lastLoadOptions = new ConcurrentHashMap<>();

    /** Records the options and shift flag of one request; answers whether they force a reload. */
    boolean record(String server, String model, Map<String, Object> options, Boolean shift) {
        Map<String, Object> loadTime = new LinkedHashMap<>();
        if (options != null) {
            for (String key : ModelOptions.LOAD_TIME) {
                Object value = options.get(key);
                if (value != null) {
                    loadTime.put(key, value);
                }
            }
        }
        if (Boolean.FALSE.equals(shift)) {
            loadTime.put("shift", false);
        }
        String key = server + " " + model;
        Map<String, Object> previous = lastLoadOptions.put(key, loadTime);
        if (previous != null && !previous.equals(loadTime)) {
            LOG.warn("The load-time options of model {} on {} changed from {} to {}: Ollama will reload the model for "
                     + "this request. Keep num_ctx, shift and the other load-time options the same for all "
                     + "requests to a model (set them on the endpoint, not per message).", model, server, previous,
                    loadTime);
            return true;
        }
        return false;
    }
}
