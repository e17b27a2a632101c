package dev.camelollama.queue;

import java.nio.file.Path;

import jakarta.jms.ConnectionFactory;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A real Apache ActiveMQ Artemis broker inside the test's JVM: one in-VM acceptor ({@code vm://0}, no socket), a
 * persistent journal in a folder the test owns, no security. It outlives the CamelContexts a test starts and stops,
 * so what a stopped context left in a queue is there for the next one, as with a broker in its own process.
 */
final class EmbeddedArtemis implements AutoCloseable {

    static final String URL = "vm://0";
    static final String DEAD_LETTER_QUEUE = "DLQ";

    private final EmbeddedActiveMQ broker;

    private EmbeddedArtemis(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    /**
     * Starts the broker with {@code queues} created up front (anycast, durable) and, for every address, a dead-letter
     * address {@code DLQ} that Artemis uses once a message was delivered {@code maxDeliveryAttempts} times without
     * being acknowledged, redelivering after {@code redeliveryDelayMillis} until then.
     */
    static EmbeddedArtemis start(Path dataDir, int maxDeliveryAttempts, long redeliveryDelayMillis, String... queues)
            throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("queue-test-broker")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                // NIO everywhere: libaio may or may not be there, and the test must not depend on it
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dataDir.resolve("journal").toString())
                .setBindingsDirectory(dataDir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dataDir.resolve("large-messages").toString())
                .setPagingDirectory(dataDir.resolve("paging").toString())
                // a nearly full CI disk must not make the broker block the test's producers
                .setMaxDiskUsage(-1)
                .addAcceptorConfiguration("in-vm", URL)
                .addAddressSetting("#", new AddressSettings()
                        .setMaxDeliveryAttempts(maxDeliveryAttempts)
                        .setRedeliveryDelay(redeliveryDelayMillis)
                        .setDeadLetterAddress(SimpleString.of(DEAD_LETTER_QUEUE)));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        for (String queue : queues) {
            broker.getActiveMQServer().createQueue(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST)
                    .setDurable(true).setAutoCreateAddress(true));
        }
        return new EmbeddedArtemis(broker);
    }

    /** A new JMS connection factory on the in-VM acceptor. */
    static ConnectionFactory connectionFactory() {
        return new ActiveMQConnectionFactory(URL);
    }

    /**
     * A connection factory for consumers that take long per message, like a route that waits for Ollama: no
     * prefetch ({@code consumerWindowSize=0}), so a consumer holds only the message it works on. With a buffer, a
     * cached consumer that sits idle (its route stopped, its session back in Spring's cache) would keep prompts
     * that other consumers could take.
     */
    static ConnectionFactory slowConsumerConnectionFactory() {
        return new ActiveMQConnectionFactory(URL + "?consumerWindowSize=0");
    }

    /** Messages in the queue now, those being delivered (not acknowledged yet) included. */
    long messageCount(String queue) {
        return queue(queue).getMessageCount();
    }

    /** Messages ever committed into the queue, whether consumed since or not: a duplicate send would show here. */
    long messagesAdded(String queue) {
        return queue(queue).getMessagesAdded();
    }

    private Queue queue(String name) {
        Queue queue = broker.getActiveMQServer().locateQueue(SimpleString.of(name));
        if (queue == null) {
            throw new IllegalStateException("no queue " + name + " on the broker");
        }
        return queue;
    }

    @Override
    public void close() throws Exception {
        broker.stop();
    }
}
