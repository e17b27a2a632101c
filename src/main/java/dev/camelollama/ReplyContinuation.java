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
    /** The exchange's state when the call started: only a change after that means someone stopped it. */
    private Throwable exceptionAtStart;
    private boolean routeStopAtStart;
    private boolean rollbackOnlyAtStart;
    /** Set when the call was aborted because its exchange had been stopped elsewhere. */
    private volatile boolean exchangeStopped;

    ReplyContinuation(Exchange exchange, AsyncCallback callback, InFlightCalls inFlight) {
        this.exchange = exchange;
        this.callback = callback;
        this.inFlight = inFlight;
    }

    @Override
    public void started(CallHandle handle) {
        exceptionAtStart = exchange.getException();
        routeStopAtStart = exchange.isRouteStop();
        rollbackOnlyAtStart = exchange.isRollbackOnly();
        call = handle;
        inFlight.started(this);
    }

    /** Puts the reply into the exchange; runs on the reply pool. */
    abstract void apply(Exchange exchange, T reply) throws Exception;

    void abort(String reason) {
        CallHandle handle = call;
        if (handle != null) {
            handle.cancel(reason);
        }
    }

    /** Why the exchange no longer wants this call's reply, or null while it still does. */
    String whyExchangeStopped() {
        if (exchange.getExchangeExtension().isInterrupted()) {
            return "its exchange " + exchange.getExchangeId() + " was interrupted";
        }
        Throwable exception = exchange.getException();
        if (exception != null && exception != exceptionAtStart) {
            return "its exchange " + exchange.getExchangeId() + " failed while it waited (" + exception + ")";
        }
        if (exchange.isRouteStop() && !routeStopAtStart) {
            return "its exchange " + exchange.getExchangeId() + " was marked to stop routing";
        }
        if (exchange.isRollbackOnly() && !rollbackOnlyAtStart) {
            return "its exchange " + exchange.getExchangeId() + " was marked rollback-only";
        }
        return null;
    }

    /**
     * Aborts the call of an exchange someone else stopped. The exchange stays as they left it: their exception (if
     * any) is kept, with this abort added to it as suppressed, so the reason the route sees is theirs.
     */
    void abortForStoppedExchange(String why) {
        exchangeStopped = true;
        abort("The Ollama call was aborted because " + why);
    }

    @Override
    public void onReply(T reply) {
        continueOnReplyPool(() -> {
            if (exchangeStopped) {
                // the abort lost the race against the reply: nobody wants it, and it must not replace the body
                if (reply instanceof ReplyStream<?> stream) {
                    stream.close();
                }
                return;
            }
            try {
                apply(exchange, reply);
            } catch (Exception e) {
                exchange.setException(e);
            }
        }, reply);
    }

    @Override
    public void onFailure(OllamaException failure) {
        continueOnReplyPool(() -> {
            if (exchangeStopped) {
                Throwable theirs = exchange.getException();
                if (theirs != null && theirs != failure) {
                    theirs.addSuppressed(failure);
                }
                return;
            }
            exchange.setException(failure);
        }, null);
    }

    private void continueOnReplyPool(Runnable outcome, T reply) {
        inFlight.finished(this);
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
