package dev.camelollama.queue;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The queue route of docs/reliability.md ("No prompt lost", "Queue"): prompts from {@code jms:queue:prompts}, each
 * in its own JMS transaction, through {@code ollama:generate} to {@code jms:queue:replies}.
 *
 * <ul>
 * <li>A failure is not handled: the transaction rolls back and the broker redelivers the prompt (after the
 *     component's own redeliveries, which only cover failures before any reply data arrived).</li>
 * <li>On the last attempt ({@code JMSXDeliveryCount >= maxAttempts}) the failure is not rethrown: the route
 *     sends the original prompt to {@code jms:queue:DLQ} with {@value #FAILURE_REASON} (exception class and
 *     message), so that the dead letter and the consumption of the prompt commit together.</li>
 * <li>{@code transacted()} matters: it routes the exchange synchronously on the JMS listener's thread, where the
 *     transaction is bound. Without it the asynchronous ollama producer continues the route on its reply thread,
 *     and the reply would be sent (and committed) outside the prompt's transaction.</li>
 * </ul>
 */
final class PromptQueueRoute extends RouteBuilder {

    static final String PROMPTS = "prompts";
    static final String REPLIES = "replies";
    static final String DEAD_LETTERS = EmbeddedArtemis.DEAD_LETTER_QUEUE;
    /** The JMS property that identifies a prompt; the route carries it over to the reply or the dead letter. */
    static final String PROMPT_ID = "promptId";
    /**
     * The dead letter's reason: exception class and message of the last failure. Not {@code Camel...}: camel-jms
     * does not send headers whose name starts with {@code Camel}.
     */
    static final String FAILURE_REASON = "failureReason";
    /** On a reply or a dead letter: how many times the broker had delivered the prompt (its JMSXDeliveryCount). */
    static final String DELIVERIES = "deliveries";
    static final String ROUTE_ID = "prompt-queue";

    private final String ollamaUri;
    private final int maxAttempts;
    private final int concurrentConsumers;

    PromptQueueRoute(String ollamaUri, int maxAttempts, int concurrentConsumers) {
        this.ollamaUri = ollamaUri;
        this.maxAttempts = maxAttempts;
        this.concurrentConsumers = concurrentConsumers;
    }

    @Override
    public void configure() {
        // the transacted error handler throughout, so that no step logs its own "exhausted" ERROR with a stack trace:
        // the one record of a failed attempt is the rollback's WARN line
        errorHandler(springTransactionErrorHandler().logExhausted(false));

        from("jms:queue:" + PROMPTS + "?transacted=true&concurrentConsumers=" + concurrentConsumers)
                .routeId(ROUTE_ID)
                .transacted()
                // a dead letter an operator moved back for another try starts without its old reason
                .removeHeader(FAILURE_REASON)
                .doTry()
                    .to(ollamaUri)
                // Only the Ollama call's failure, and only on the last attempt, is caught; any other failure (the
                // reply or dead-letter send included) rolls back. The catch only notes the reason: it runs on the
                // thread that completed the call, where the transaction is not bound; the send below runs on the
                // listener's thread, inside the prompt's transaction.
                .doCatch(Exception.class).onWhen(this::lastAttempt)
                    .setHeader(FAILURE_REASON, simple("${exception.class.name}: ${exception.message}"))
                .end()
                .setHeader(DELIVERIES, header("JMSXDeliveryCount"))
                .choice()
                    .when(header(FAILURE_REASON).isNotNull())
                        .log(LoggingLevel.WARN, "Dead-lettered after ${header.JMSXDeliveryCount} deliveries: ${header."
                                                + FAILURE_REASON + "}")
                        .to("jms:queue:" + DEAD_LETTERS)
                    .otherwise()
                        .to("jms:queue:" + REPLIES)
                .end();
    }

    /**
     * Whether this failure is the prompt's last chance. Not while Camel is stopping: a call the stop cut short
     * says nothing about the prompt, so it rolls back and the next start tries it again.
     */
    private boolean lastAttempt(Exchange exchange) {
        Integer deliveries = exchange.getMessage().getHeader("JMSXDeliveryCount", Integer.class);
        return deliveries != null && deliveries >= maxAttempts && !exchange.getContext().isStopping();
    }
}
