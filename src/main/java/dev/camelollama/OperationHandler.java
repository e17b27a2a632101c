package dev.camelollama;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

/**
 * What one operation does with an exchange: check it and build the request (before any HTTP call), send it, and put
 * the reply into the message. One implementation per family of operations keeps each one small.
 */
interface OperationHandler {

    /**
     * Handles the exchange, completing the callback exactly once.
     *
     * @return true when the callback was completed on the caller's thread (bad input), false when it will be
     *         completed later, once the reply is in
     */
    boolean process(Exchange exchange, AsyncCallback callback);
}
