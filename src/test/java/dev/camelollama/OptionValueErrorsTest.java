package dev.camelollama;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An endpoint option of the wrong type fails when the endpoint is created, naming the option, its value and what it
 * takes, with an example. Camel's own binding named only the Java type, and took a word for an int option as 0.
 */
@Timeout(30)
class OptionValueErrorsTest {

    private DefaultCamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() throws Exception {
        context.close();
    }

    private String failureOf(String uri) {
        ResolveEndpointFailedException failure = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(uri), uri);
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "streaming=sometimes       | use one of off, aggregate, split (e.g. streaming=aggregate)",
        "temperature=hot           | give a number, with a dot for decimals (e.g. temperature=0.7)",
        "autoPull=maybe            | use true or false (e.g. autoPull=true)",
        "maximumRedeliveries=x     | give a whole number (e.g. maximumRedeliveries=3)",
        "maximumRedeliveries=1.5   | give a whole number (e.g. maximumRedeliveries=3)",
        "numCtx=big                | give a whole number",
        "maxReplySize=lots         | give a whole number",
        "connectTimeout=soon       | give a duration such as 500ms, 30s, 5m or 1h30m",
        "redeliveryDelay=fast      | give a duration such as 500ms, 30s, 5m or 1h30m",
    })
    void aWronglyTypedOptionSaysWhatItTakes(String option, String takes) {
        String message = failureOf("ollama:chat?model=llama3.2&" + option);

        assertTrue(message.startsWith("The option " + option + " of ollama:chat is not valid: "), message);
        assertTrue(message.contains(takes), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"streaming=SPLIT", "connectTimeout=1h30m", "connectTimeout=500ms",
                            "connectTimeout=PT30S", "connectTimeout=1000", "autoPull=TRUE", "temperature=-0.5",
                            "seed=-1", "backOffMultiplier=1.5"})
    void valuesOfTheRightTypeAreTaken(String option) {
        assertEquals(OllamaEndpoint.class, context.getEndpoint("ollama:chat?model=llama3.2&" + option).getClass());
    }

    @Test
    void aWordForAnIntOptionIsNoLongerTakenAsZero() {
        String message = failureOf("ollama:generate?maximumRedeliveries=never");
        assertTrue(message.contains("maximumRedeliveries=never"), message);
    }

    @Test
    void aMissingBeanIsLeftToCamelsOwnMessage() {
        String message = failureOf("ollama:chat?headersSupplier=#nope");
        assertTrue(message.contains("nope"), message);
    }
}
