package dev.camelollama.simulator;

import java.time.Duration;

/**
 * The default behaviour's knobs as one immutable snapshot, so a request in progress never sees half of a
 * concurrent reconfiguration.
 */
record SimulatorSettings(int chunkCount, Duration firstByteDelay, Duration chunkDelay, ModelCatalog catalog,
        boolean acceptAnyModel) {

    static final SimulatorSettings DEFAULT =
            new SimulatorSettings(5, Duration.ZERO, Duration.ZERO, ModelCatalog.DEFAULT, false);

    SimulatorSettings withChunkCount(int value) {
        return new SimulatorSettings(value, firstByteDelay, chunkDelay, catalog, acceptAnyModel);
    }

    SimulatorSettings withFirstByteDelay(Duration value) {
        return new SimulatorSettings(chunkCount, value, chunkDelay, catalog, acceptAnyModel);
    }

    SimulatorSettings withChunkDelay(Duration value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, value, catalog, acceptAnyModel);
    }

    SimulatorSettings withCatalog(ModelCatalog value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, chunkDelay, value, acceptAnyModel);
    }

    SimulatorSettings withAcceptAnyModel(boolean value) {
        return new SimulatorSettings(chunkCount, firstByteDelay, chunkDelay, catalog, value);
    }
}
