package dev.camelollama;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.camelollama.api.ModelInfo;
import dev.camelollama.api.ShowModelResponse;
import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** embed, model management, progress streams and blobs from YAML DSL routes, as users write them. */
@Timeout(60)
class YamlManagementRoutesTest extends SimulatorTestSupport {

    @TempDir
    static Path blobInbox;

    private static final String ROUTES = """
            - route:
                from:
                  uri: direct:yaml-embed
                  steps:
                    - to: "ollama:embed?baseUrl=%1$s&model=nomic-embed-text&dimensions=4"
                    - to: mock:embedded
            - route:
                from:
                  uri: direct:yaml-models
                  steps:
                    - to: "ollama:listModels?baseUrl=%1$s"
                    - setHeader:
                        name: modelCount
                        simple: "${body.size}"
                    - setHeader:
                        name: CamelOllamaModel
                        simple: "${body[0].name}"
                    - to:
                        uri: ollama:showModel
                        parameters:
                          baseUrl: "%1$s"
                          verbose: true
                    - to: mock:shown
            - route:
                from:
                  uri: direct:yaml-copy-delete
                  steps:
                    - to: "ollama:copyModel?baseUrl=%1$s&model=qwen3&destination=qwen3-copy"
                    - to: "ollama:deleteModel?baseUrl=%1$s&model=qwen3-copy"
                    - to: "ollama:version?baseUrl=%1$s"
                    - to: mock:after-delete
            - route:
                from:
                  uri: direct:yaml-pull
                  steps:
                    - to: "ollama:pullModel?baseUrl=%1$s&model=mistral&streaming=split"
                    - split:
                        simple: "${body}"
                        streaming: true
                        steps:
                          - filter:
                              simple: "${header.CamelOllamaPercent} != null"
                              steps:
                                - to: mock:percent
                    - to: "ollama:pullModel?baseUrl=%1$s&model=gemma3"
                    - to: mock:pulled
            - route:
                from:
                  uri: direct:yaml-create
                  steps:
                    - to: "ollama:createModel?baseUrl=%1$s&model=yaml-made&streaming=off"
                    - to: mock:created
            - route:
                id: yaml-blobs
                autoStartup: false
                from:
                  uri: "file:%2$s?noop=true"
                  steps:
                    - to: "ollama:pushBlob?baseUrl=%1$s"
                    - to: "ollama:blobExists?baseUrl=%1$s"
                    - to: mock:blob
            """;

    @Override
    protected void doPostSetup() throws Exception {
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("ollama-management.yaml",
                String.format(ROUTES, sim.baseUrl(), blobInbox.toAbsolutePath())));
    }

    @Test
    void embedFromYaml() throws Exception {
        MockEndpoint embedded = getMockEndpoint("mock:embedded");
        embedded.expectedMessageCount(1);

        template.sendBody("direct:yaml-embed", "hello yaml");

        embedded.assertIsSatisfied(10_000);
        assertArrayEquals(OllamaSimulator.expectedEmbedding("hello yaml", 4),
                embedded.getExchanges().get(0).getMessage().getBody(float[].class));
    }

    @Test
    void listThenShowFromYaml() throws Exception {
        MockEndpoint shown = getMockEndpoint("mock:shown");
        shown.expectedMessageCount(1);
        shown.expectedHeaderReceived("modelCount", 3);

        template.sendBody("direct:yaml-models", null);

        shown.assertIsSatisfied(10_000);
        ShowModelResponse show = shown.getExchanges().get(0).getMessage().getBody(ShowModelResponse.class);
        assertEquals("llama3.2", show.details().family());
        assertEquals("token_embd.weight", show.tensors().get(0).name(), "verbose=true from the YAML parameters");
    }

    @Test
    void copyDeleteAndVersionFromYaml() throws Exception {
        MockEndpoint after = getMockEndpoint("mock:after-delete");
        after.expectedBodiesReceived("0.33.0-sim");

        template.sendBody("direct:yaml-copy-delete", null);

        after.assertIsSatisfied(10_000);
        assertEquals(List.of("llama3.2:latest", "qwen3:latest", "nomic-embed-text:latest"), sim.localModels());
        assertEquals("/api/copy", sim.takeRequest().path());
        assertEquals("/api/delete", sim.takeRequest().path());
    }

    @Test
    void pullWithProgressFromYaml() throws Exception {
        MockEndpoint percent = getMockEndpoint("mock:percent");
        percent.expectedMessageCount(6);
        MockEndpoint pulled = getMockEndpoint("mock:pulled");
        pulled.expectedBodiesReceived("success");

        template.sendBody("direct:yaml-pull", null);

        percent.assertIsSatisfied(10_000);
        pulled.assertIsSatisfied(10_000);
        assertEquals(100.0, percent.getExchanges().get(5).getMessage().getHeader(OllamaConstants.PERCENT));
        assertTrue(sim.localModels().containsAll(List.of("mistral:latest", "gemma3:latest")));
    }

    @Test
    void pushBlobsFromAFileConsumerInYaml() throws Exception {
        byte[] bytes = "a tiny gguf".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Files.write(blobInbox.resolve("tiny.gguf"), bytes);
        MockEndpoint blob = getMockEndpoint("mock:blob");
        blob.expectedBodiesReceived(true);

        context.getRouteController().startRoute("yaml-blobs");

        blob.assertIsSatisfied(10_000);
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(digest, blob.getExchanges().get(0).getMessage().getHeader(OllamaConstants.DIGEST));
        assertTrue(sim.blobs().contains(digest));
    }

    @Test
    void createModelFromYamlWithAMapBody() throws Exception {
        MockEndpoint created = getMockEndpoint("mock:created");
        created.expectedBodiesReceived("success");

        template.sendBody("direct:yaml-create", Map.of("from", "llama3.2", "system", "Be brief."));

        created.assertIsSatisfied(10_000);
        List<?> models = template.requestBody("ollama:listModels?baseUrl=" + sim.baseUrl(), null, List.class);
        assertTrue(models.stream().anyMatch(model -> "yaml-made:latest".equals(((ModelInfo) model).name())));
        assertEquals(false, sim.takeRequest().json().get("stream").asBoolean());
    }
}
