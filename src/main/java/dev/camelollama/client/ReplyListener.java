package dev.camelollama.client;

/**
 * Receives the outcome of one call, exactly once: either {@link #onReply} or {@link #onFailure}. It is called on
 * an I/O thread, so it must hand any slow work to another thread.
 */
public interface ReplyListener<T> {

    void onReply(T reply);

    void onFailure(OllamaException failure);

    /** Told once, before the request goes out, how to cancel the call. */
    default void started(CallHandle call) {
    }
}
