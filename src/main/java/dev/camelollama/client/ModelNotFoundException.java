package dev.camelollama.client;

/**
 * Ollama answered 404 for the model: it is not pulled on that server. Also thrown when a pull fails because the
 * registry has no model of that name ({@link #isRegistryMiss()}).
 */
public class ModelNotFoundException extends OllamaException {

    private final String model;
    private final boolean registryMiss;

    public ModelNotFoundException(String model, String serverMessage) {
        super("Model '" + model + "' is not available on the Ollama server (" + serverMessage
              + "). Pull it first: ollama pull " + model, 404, serverMessage, false, null);
        this.model = model;
        this.registryMiss = false;
    }

    /**
     * A pull found no such model in the registry.
     *
     * @param registryMiss true: the message says the name or tag is wrong rather than "pull it first"
     */
    public ModelNotFoundException(String model, String serverMessage, boolean registryMiss) {
        super(registryMiss
                ? "Model '" + model + "' could not be pulled: the registry has no such model (" + serverMessage
                  + "). Check the name and tag, e.g. llama3.2 or qwen3:8b"
                : "Model '" + model + "' is not available on the Ollama server (" + serverMessage
                  + "). Pull it first: ollama pull " + model,
              404, serverMessage, false, null);
        this.model = model;
        this.registryMiss = registryMiss;
    }

    /** The model name that was asked for. */
    public String getModel() {
        return model;
    }

    /** True when a pull failed because the registry does not know the model. */
    public boolean isRegistryMiss() {
        return registryMiss;
    }
}
