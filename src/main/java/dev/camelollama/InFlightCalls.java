package dev.camelollama;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

import dev.camelollama.client.CallHandle;

/**
 * The calls one producer has in flight, and the pool their replies continue on. When the producer stops (its
 * route shuts down, or the CamelContext stops after Camel's graceful shutdown timeout), every call still waiting
 * for Ollama is aborted: the connection closes, Ollama stops generating, and the exchange fails with a clear
 * exception instead of being dropped silently.
 */
final class InFlightCalls {

    private final ExecutorService replyExecutor;
    private final Set<CallHandle> calls = ConcurrentHashMap.newKeySet();

    InFlightCalls(ExecutorService replyExecutor) {
        this.replyExecutor = replyExecutor;
    }

    ExecutorService replyExecutor() {
        return replyExecutor;
    }

    void started(CallHandle call) {
        calls.add(call);
    }

    void finished(CallHandle call) {
        calls.remove(call);
    }

    int size() {
        return calls.size();
    }

    void abortAll(String reason) {
        for (CallHandle call : calls) {
            calls.remove(call);
            call.cancel(reason);
        }
    }
}
