package dev.camelollama.queue;

import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import dev.camelollama.OllamaConstants;

/**
 * A prompt as a producer puts it on the queue: a text message with its id, and optionally a model of its own
 * ({@code CamelOllamaModel}, which the ollama endpoint takes over its {@code model} option).
 */
record Prompt(String id, String text, String model) {

    /** Sends the prompts persistently in one transaction, so the route sees all or none of them. */
    static void send(ConnectionFactory factory, String queue, List<Prompt> prompts) throws JMSException {
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (Prompt prompt : prompts) {
                TextMessage message = session.createTextMessage(prompt.text());
                message.setStringProperty(PromptQueueRoute.PROMPT_ID, prompt.id());
                if (prompt.model() != null) {
                    message.setStringProperty(OllamaConstants.MODEL, prompt.model());
                }
                producer.send(message);
            }
            session.commit();
        }
    }
}
