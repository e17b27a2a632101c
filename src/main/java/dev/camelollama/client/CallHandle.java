package dev.camelollama.client;

/** A call in flight. Cancelling it closes its connection, which is how Ollama learns to stop generating. */
public interface CallHandle {

    /** Aborts the call; a listener that has not been told yet is told of a failure. */
    void cancel();

    /** Aborts the call; the listener's failure carries this reason. */
    void cancel(String reason);
}
