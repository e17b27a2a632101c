package dev.camelollama.simulator;

import java.nio.charset.StandardCharsets;

/**
 * The default {@code /api/embed} vectors: components derived from the text's SHA-256 (so equal texts give equal
 * vectors and different texts different ones), cut to the requested size and L2-normalised as Ollama's are.
 */
final class Embeddings {

    static final int DEFAULT_DIMENSIONS = 8;
    static final int MAX_DIMENSIONS = 8192;

    private Embeddings() {
    }

    static float[] vector(String text, int dimensions) {
        if (dimensions < 0 || dimensions > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("dimensions must be 0-" + MAX_DIMENSIONS);
        }
        int size = dimensions == 0 ? DEFAULT_DIMENSIONS : dimensions;
        double[] raw = new double[size];
        byte[] block = new byte[0];
        for (int i = 0; i < size; i++) {
            int offset = (i % 8) * 4;
            if (offset == 0) {
                block = ModelCatalog.sha256((text + "#" + (i / 8)).getBytes(StandardCharsets.UTF_8));
            }
            int bits = ((block[offset] & 0xFF) << 24) | ((block[offset + 1] & 0xFF) << 16)
                       | ((block[offset + 2] & 0xFF) << 8) | (block[offset + 3] & 0xFF);
            raw[i] = bits / (double) Integer.MAX_VALUE;
        }
        double norm = 0;
        for (double value : raw) {
            norm += value * value;
        }
        norm = Math.sqrt(norm);
        float[] vector = new float[size];
        for (int i = 0; i < size; i++) {
            vector[i] = (float) (norm == 0 ? 0 : raw[i] / norm);
        }
        return vector;
    }
}
