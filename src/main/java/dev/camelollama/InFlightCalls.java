package dev.camelollama;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * The calls one producer has in flight, and the pool their replies continue on. A call is aborted (its connection
 * closes, so Ollama stops generating) when nobody wants its reply any more:
 * <ul>
 * <li>its exchange was stopped while waiting, see {@link #abortCallsOfStoppedExchanges()};</li>
 * <li>the producer stops (its route shuts down, or the CamelContext stops after Camel's graceful shutdown timeout):
 * the exchange then fails with a clear exception instead of being dropped silently.</li>
 * </ul>
 */
final class InFlightCalls {

    private final ExecutorService replyExecutor;
    private final Set<ReplyContinuation<?>> calls = ConcurrentHashMap.newKeySet();

    InFlightCalls(ExecutorService replyExecutor) {
        this.replyExecutor = replyExecutor;
    }

    ExecutorService replyExecutor() {
        return replyExecutor;
    }

    void started(ReplyContinuation<?> call) {
        calls.add(call);
    }

    void finished(ReplyContinuation<?> call) {
        calls.remove(call);
    }

    int size() {
        return calls.size();
    }

    void abortAll(String reason) {
        for (ReplyContinuation<?> call : calls) {
            calls.remove(call);
            call.abort(reason);
        }
    }

    /**
     * Aborts the calls whose exchange was stopped by someone else while it waited for Ollama: the thread that sent
     * it was interrupted, the exchange was interrupted through Camel's AsyncProcessorAwaitManager (JMX), failed or
     * was marked route-stop or rollback-only elsewhere. Generating a reply nobody reads would hold Ollama's queue.
     */
    void abortCallsOfStoppedExchanges() {
        for (ReplyContinuation<?> call : calls) {
            String why = call.whyExchangeStopped();
            if (why != null) {
                calls.remove(call);
                call.abortForStoppedExchange(why);
            }
        }
    }
}
