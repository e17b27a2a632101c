package dev.camelollama.simulator;

import java.time.Duration;

/**
 * The default behaviour's knobs as one immutable snapshot, so a request in progress never sees half of a
 * concurrent reconfiguration. The catalog (local models) and the registry (what a pull finds) change through
 * model-management requests too, each change a new snapshot.
 */
record SimulatorSettings(int chunkCount, Duration firstByteDelay, Duration chunkDelay, ModelCatalog catalog,
        boolean acceptAnyModel, ModelCatalog registry) {

    static final SimulatorSettings DEFAULT = new SimulatorSettings(5, Duration.ZERO, Duration.ZERO,
            ModelCatalog.DEFAULT, false, ModelCatalog.DEFAULT_REGISTRY);

    SimulatorSettings withChunkCount(int value) {
        return new SimulatorSettings(value, firstByteDelay, chunkDelay, catalog, acceptAnyModel, registry);
    }

    SimulatorSettings withFirstByteDelay(Duration value) {
        return new SimulatorSettings(chunkCount, value, chunkDelay, catalog, acceptAnyModel, registry);
    }

    SimulatorSettings withChunkDelay(Duration value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, value, catalog, acceptAnyModel, registry);
    }

    SimulatorSettings withCatalog(ModelCatalog value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, chunkDelay, value, acceptAnyModel, registry);
    }

    SimulatorSettings withAcceptAnyModel(boolean value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, chunkDelay, catalog, value, registry);
    }

    SimulatorSettings withRegistry(ModelCatalog value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, chunkDelay, catalog, acceptAnyModel, value);
    }
}
