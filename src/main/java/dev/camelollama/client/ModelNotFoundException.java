package dev.camelollama.client;

/** Ollama answered 404 for the model: it is not pulled on that server. */
public class ModelNotFoundException extends OllamaException {

    private final String model;

    public ModelNotFoundException(String model, String serverMessage) {
        super("Model '" + model + "' is not available on the Ollama server (" + serverMessage
              + "). Pull it first: ollama pull " + model, 404, serverMessage, false, null);
        this.model = model;
    }

    /** The model name that was asked for. */
    public String getModel() {
        return model;
    }
}
