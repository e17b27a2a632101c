package dev.camelollama.client;

/** A reply line was not the JSON Ollama sends: the server (or a proxy in between) is not speaking Ollama's API. */
public class OllamaProtocolException extends OllamaException {

    private final long lineNumber;
    private final String sample;

    public OllamaProtocolException(String problem, long lineNumber, String sample, Throwable cause) {
        super("Malformed reply from Ollama at line " + lineNumber + ": " + problem
              + (sample == null ? "" : " (line starts with: " + sample + ")"), 0, null, false, cause);
        this.lineNumber = lineNumber;
        this.sample = sample;
    }

    /** The 1-based line number of the reply stream where decoding failed. */
    public long getLineNumber() {
        return lineNumber;
    }

    /** The first characters of the offending line. */
    public String getSample() {
        return sample;
    }
}
