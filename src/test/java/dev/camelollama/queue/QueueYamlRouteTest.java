package dev.camelollama.queue;

/**
 * Every scenario of QueueDeadLetterTest against the YAML version of the route ({@code queue/prompt-queue.yaml}, the
 * one docs/reliability.md shows), so that the YAML a user copies behaves as the Java route does.
 */
class QueueYamlRouteTest extends QueueDeadLetterTest {

    @Override
    PromptQueueContext startCamel(String baseUrl, int maxAttempts, int ollamaRedeliveries) throws Exception {
        return PromptQueueContext.startYaml(baseUrl, maxAttempts, 1, ollamaRedeliveries);
    }
}
