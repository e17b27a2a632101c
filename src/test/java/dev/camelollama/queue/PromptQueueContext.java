package dev.camelollama.queue;

import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.spring.spi.SpringTransactionPolicy;
import org.springframework.jms.connection.CachingConnectionFactory;
import org.springframework.jms.connection.JmsTransactionManager;

import dev.camelollama.OllamaComponent;
import dev.camelollama.OllamaConfiguration;

/**
 * A CamelContext running {@link PromptQueueRoute} against the embedded broker, configured the way the docs show:
 * one connection factory (cached) for the JMS consumer, the JMS producers and one {@link JmsTransactionManager},
 * so that consuming a prompt and sending its reply or dead letter are one local JMS transaction.
 */
final class PromptQueueContext implements AutoCloseable {

    private final CamelContext context;
    private final CachingConnectionFactory connections;

    private PromptQueueContext(CamelContext context, CachingConnectionFactory connections) {
        this.context = context;
        this.connections = connections;
    }

    /**
     * Builds and starts a context with {@link PromptQueueRoute}. {@code ollamaRedeliveries} is the component's own
     * {@code maximumRedeliveries}; the short timeouts make a stall fail in a third of a second, as in
     * BatchJobRestartTest.
     */
    static PromptQueueContext start(String baseUrl, int maxAttempts, int concurrentConsumers, int ollamaRedeliveries)
            throws Exception {
        return start(ollamaRedeliveries, concurrentConsumers, context -> context.addRoutes(new PromptQueueRoute(
                "ollama:generate?baseUrl=" + baseUrl + "&model=llama3.2", maxAttempts, concurrentConsumers)));
    }

    /** The same with the YAML route of {@code queue/prompt-queue.yaml}, the one the docs show. */
    static PromptQueueContext startYaml(String baseUrl, int maxAttempts, int concurrentConsumers,
            int ollamaRedeliveries) throws Exception {
        return start(ollamaRedeliveries, concurrentConsumers, context -> {
            context.getPropertiesComponent().addInitialProperty("queue.concurrentConsumers",
                    String.valueOf(concurrentConsumers));
            context.getPropertiesComponent().addInitialProperty("queue.ollamaBaseUrl", baseUrl);
            context.getPropertiesComponent().addInitialProperty("queue.maxAttempts", String.valueOf(maxAttempts));
            PluginHelper.getRoutesLoader(context)
                    .loadRoutes(ResourceHelper.resolveMandatoryResource(context, "classpath:queue/prompt-queue.yaml"));
        });
    }

    /** What adds the route to a context that has its components. */
    @FunctionalInterface
    interface RouteInstaller {
        void install(CamelContext context) throws Exception;
    }

    private static PromptQueueContext start(int ollamaRedeliveries, int concurrentConsumers, RouteInstaller route)
            throws Exception {
        CamelContext context = new DefaultCamelContext();

        // Spring's caching factory keeps one connection and reuses sessions: the transaction manager opens a
        // session per transaction, which would otherwise be a new connection per prompt
        CachingConnectionFactory connections = new CachingConnectionFactory(
                EmbeddedArtemis.slowConsumerConnectionFactory());
        connections.setSessionCacheSize(concurrentConsumers + 2);
        JmsTransactionManager transactions = new JmsTransactionManager(connections);
        JmsComponent jms = JmsComponent.jmsComponentTransacted(connections, transactions);
        // the TransactionErrorHandler logs every rollback at WARN; the listener's own report of it would repeat it
        jms.getConfiguration().setErrorHandlerLoggingLevel(LoggingLevel.DEBUG);
        jms.getConfiguration().setErrorHandlerLogStackTrace(false);
        // an idle consumer notices a stop within this, not within the default second
        jms.getConfiguration().setReceiveTimeout(250);
        context.addComponent("jms", jms);
        // what transacted() in the route looks up: joins the listener's transaction (REQUIRED)
        context.getRegistry().bind("PROPAGATION_REQUIRED", new SpringTransactionPolicy(transactions));

        OllamaConfiguration ollama = context.getComponent("ollama", OllamaComponent.class).getConfiguration();
        ollama.setIdleTimeout(300);
        ollama.setRedeliveryDelay(10);
        ollama.setMaximumRedeliveries(ollamaRedeliveries);

        // a stop that waits one second at most for the prompts in flight, then forces the routes down
        context.getShutdownStrategy().setTimeout(1);
        context.getShutdownStrategy().setShutdownNowOnTimeout(true);

        route.install(context);
        context.start();
        return new PromptQueueContext(context, connections);
    }

    CamelContext camelContext() {
        return context;
    }

    /**
     * Stops the context (waiting at most one second for the prompts in flight, then forcing), then closes the
     * cached connection, which the context does not own: a new context must not inherit its sessions.
     */
    @Override
    public void close() {
        try {
            context.stop();
        } finally {
            connections.destroy();
        }
    }
}
