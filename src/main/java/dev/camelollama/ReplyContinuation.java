package dev.camelollama;

import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

import dev.camelollama.client.CallHandle;
import dev.camelollama.client.OllamaException;
import dev.camelollama.client.ReplyStream;
import dev.camelollama.client.ReplyListener;

/**
 * Moves an outcome from the client's I/O thread to the component's reply pool and completes the exchange's callback
 * there, once. Route code never runs on an I/O thread: a route that blocked there would stall every connection of
 * that reactor.
 */
abstract class ReplyContinuation<T> implements ReplyListener<T> {

    private final Exchange exchange;
    private final AsyncCallback callback;
    private final InFlightCalls inFlight;
    private volatile CallHandle call;

    ReplyContinuation(Exchange exchange, AsyncCallback callback, InFlightCalls inFlight) {
        this.exchange = exchange;
        this.callback = callback;
        this.inFlight = inFlight;
    }

    @Override
    public void started(CallHandle handle) {
        call = handle;
        inFlight.started(handle);
    }

    /** Puts the reply into the exchange; runs on the reply pool. */
    abstract void apply(Exchange exchange, T reply) throws Exception;

    @Override
    public void onReply(T reply) {
        continueOnReplyPool(() -> {
            try {
                apply(exchange, reply);
            } catch (Exception e) {
                exchange.setException(e);
            }
        }, reply);
    }

    @Override
    public void onFailure(OllamaException failure) {
        continueOnReplyPool(() -> exchange.setException(failure), null);
    }

    private void continueOnReplyPool(Runnable outcome, T reply) {
        CallHandle handle = call;
        if (handle != null) {
            inFlight.finished(handle);
        }
        Runnable task = () -> {
            outcome.run();
            callback.done(false);
        };
        try {
            inFlight.replyExecutor().execute(task);
        } catch (RejectedExecutionException stopping) {
            if (reply instanceof ReplyStream<?> stream) {
                stream.close();
            }
            exchange.setException(new OllamaException("The ollama component is stopping; the reply was dropped", 0,
                    null, true, stopping));
            callback.done(false);
        }
    }
}
