package dev.camelollama;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The three reply modes from YAML DSL routes, as users write them. */
@Timeout(60)
class YamlRoutesTest extends SimulatorTestSupport {

    private static final String PROMPT = "why is the sky blue";

    private static final String ROUTES = """
            - route:
                from:
                  uri: direct:yaml-aggregate
                  steps:
                    - to: "ollama:chat?baseUrl=%1$s&model=llama3.2"
                    - to: mock:aggregate
            - route:
                from:
                  uri: direct:yaml-off
                  steps:
                    - to:
                        uri: ollama:generate
                        parameters:
                          baseUrl: "%1$s"
                          model: llama3.2
                          streaming: "off"
                    - to: mock:off
            - route:
                from:
                  uri: direct:yaml-split
                  steps:
                    - to: "ollama:chat?baseUrl=%1$s&model=llama3.2&streaming=split"
                    - split:
                        simple: "${body}"
                        streaming: true
                        aggregationStrategy: "#class:dev.camelollama.ReplyTextAggregationStrategy"
                        steps:
                          - to: mock:chunk
                    - to: mock:full-text
            - route:
                from:
                  uri: direct:yaml-controls
                  steps:
                    - setHeader:
                        name: CamelOllamaImages
                        simple: "${body}"
                    - setHeader:
                        name: CamelOllamaPrompt
                        constant: "Describe this picture in one sentence."
                    - to:
                        uri: ollama:generate
                        parameters:
                          baseUrl: "%1$s"
                          model: llava
                          think: "false"
                          format: resource:classpath:ollama/person-schema.json
            """;

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context)
                .loadRoutes(ResourceHelper.fromString("ollama-modes.yaml", String.format(ROUTES, sim.baseUrl())));
    }

    @Test
    void aggregateFromYaml() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:aggregate");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        reply.expectedHeaderReceived(OllamaConstants.DONE_REASON, "stop");

        template.sendBody("direct:yaml-aggregate", PROMPT);

        reply.assertIsSatisfied(10_000);
    }

    @Test
    void requestControlsFromYaml() throws Exception {
        sim.acceptAnyModel(true);
        byte[] picture = { 1, 2, 3, 4 };

        template.sendBody("direct:yaml-controls", picture);

        var request = sim.takeRequest(java.time.Duration.ofSeconds(5)).json();
        assertEquals("Describe this picture in one sentence.", request.get("prompt").asText());
        assertEquals(java.util.Base64.getEncoder().encodeToString(picture), request.get("images").get(0).asText());
        assertEquals(false, request.get("think").asBoolean());
        assertEquals("object", request.get("format").get("type").asText());
    }

    @Test
    void offFromYaml() throws Exception {
        MockEndpoint reply = getMockEndpoint("mock:off");
        reply.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));

        template.sendBody("direct:yaml-off", PROMPT);

        reply.assertIsSatisfied(10_000);
        assertEquals(false, sim.takeRequest(java.time.Duration.ofSeconds(5)).json().get("stream").asBoolean());
    }

    @Test
    void splitFromYamlWithTheFullTextAfterwards() throws Exception {
        MockEndpoint chunks = getMockEndpoint("mock:chunk");
        chunks.expectedBodiesReceived("why", " is", " the", " sky", " blue", "");
        MockEndpoint fullText = getMockEndpoint("mock:full-text");
        fullText.expectedBodiesReceived(OllamaSimulator.expectedReply(PROMPT, 5));
        fullText.expectedHeaderReceived(OllamaConstants.EVAL_COUNT, 5L);

        template.sendBody("direct:yaml-split", PROMPT);

        chunks.assertIsSatisfied(10_000);
        fullText.assertIsSatisfied(10_000);
    }
}
