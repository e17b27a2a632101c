package dev.camelollama.queue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

/**
 * Everything that leaves the route: a plain JMS client (auto-acknowledge, no Camel) that takes each message from
 * the replies queue and the dead-letter queue as it is committed, and lets the test wait for a count with a bound.
 * It runs on its own connection, independent of the CamelContexts the test stops and starts.
 */
final class QueueOutcomes implements AutoCloseable {

    /** One message that left the route, with what the route put on it. */
    record Outcome(String queue, String promptId, String body, String failureReason, int deliveries) {
    }

    private final Connection connection;
    private final List<Outcome> outcomes = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();

    private QueueOutcomes(Connection connection) {
        this.connection = connection;
    }

    /** Starts listening on {@code repliesQueue} and {@code deadLetterQueue}. */
    static QueueOutcomes listen(ConnectionFactory factory, String repliesQueue, String deadLetterQueue)
            throws JMSException {
        QueueOutcomes outcomes = new QueueOutcomes(factory.createConnection());
        // one session per queue: a JMS session delivers to one listener thread at a time
        for (String queue : List.of(repliesQueue, deadLetterQueue)) {
            Session session = outcomes.connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createConsumer(session.createQueue(queue)).setMessageListener(message -> outcomes.add(queue,
                    message));
        }
        outcomes.connection.start();
        return outcomes;
    }

    private void add(String queue, Message message) {
        Outcome outcome;
        try {
            outcome = new Outcome(queue, message.getStringProperty(PromptQueueRoute.PROMPT_ID),
                    message instanceof TextMessage text ? text.getText() : null,
                    message.getStringProperty(PromptQueueRoute.FAILURE_REASON),
                    message.propertyExists(PromptQueueRoute.DELIVERIES)
                            ? message.getIntProperty(PromptQueueRoute.DELIVERIES) : 0);
        } catch (JMSException e) {
            outcome = new Outcome(queue, null, "unreadable: " + e, null, 0);
        }
        lock.lock();
        try {
            outcomes.add(outcome);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code count} messages arrived on either queue; false on timeout. */
    boolean awaitTotal(int count, Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (outcomes.size() < count) {
                if (remaining <= 0) {
                    return false;
                }
                remaining = arrived.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** A copy of every outcome so far, in arrival order. */
    List<Outcome> all() {
        lock.lock();
        try {
            return List.copyOf(outcomes);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws JMSException {
        connection.close();
    }
}
