package dev.camelollama;

import org.apache.camel.test.junit5.CamelTestSupport;

import dev.camelollama.simulator.OllamaSimulator;

/** A Camel test with a fresh Ollama simulator on 127.0.0.1, started before the routes are built. */
public abstract class SimulatorTestSupport extends CamelTestSupport {

    protected OllamaSimulator sim;

    @Override
    protected void doPreSetup() throws Exception {
        sim = OllamaSimulator.start();
        configureSimulator(sim);
        super.doPreSetup();
    }

    /** Override to change the simulator's default behaviour before the routes start. */
    protected void configureSimulator(OllamaSimulator simulator) {
    }

    @Override
    protected void doPostTearDown() throws Exception {
        super.doPostTearDown();
        if (sim != null) {
            sim.close();
        }
    }

    /** An endpoint URI for this test's simulator, e.g. {@code ollama("chat", "streaming=split")}. */
    protected String ollama(String operation, String extraOptions) {
        return "ollama:" + operation + "?baseUrl=" + sim.baseUrl() + "&model=llama3.2"
               + (extraOptions == null || extraOptions.isEmpty() ? "" : "&" + extraOptions);
    }
}
