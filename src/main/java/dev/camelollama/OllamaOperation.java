package dev.camelollama;

/** What an {@code ollama:} endpoint asks the server for. */
public enum OllamaOperation {
    /** {@code POST /api/chat}: the next message of a conversation. */
    chat,
    /** {@code POST /api/generate}: a completion of one prompt. */
    generate,
    /**
     * {@code POST /api/embed}: embedding vectors. Body: a String (reply {@code float[]}), a {@code List<String>}
     * (reply {@code List<float[]>}) or a file (its text).
     */
    embed,
    /** {@code GET /api/tags}: the models on the server, as a {@code List<ModelInfo>}. */
    listModels,
    /** {@code POST /api/show}: everything about the model, as a {@code ShowModelResponse}. */
    showModel,
    /** {@code GET /api/ps}: the models loaded in memory, as a {@code List<RunningModel>}. */
    runningModels,
    /** {@code GET /api/version}: the server's version, as a String. */
    version,
    /** {@code POST /api/pull}: downloads the model from the registry; a progress stream. */
    pullModel,
    /** {@code POST /api/push}: uploads the model ({@code namespace/model:tag}) to the registry; a progress stream. */
    pushModel,
    /**
     * {@code POST /api/create}: a new model from another one, from pushed blobs, or quantized; body a
     * {@code CreateModelRequest} or a Map; a progress stream.
     */
    createModel,
    /** {@code POST /api/copy}: copies the model under the {@code destination} name. */
    copyModel,
    /** {@code DELETE /api/delete}: deletes the model. */
    deleteModel,
    /** {@code HEAD /api/blobs/sha256:...}: whether the server has the blob; the body becomes a Boolean. */
    blobExists,
    /**
     * {@code POST /api/blobs/sha256:...}: uploads a file (File, Path, a file consumer's file or byte[]) as a blob;
     * the body becomes its digest, for {@code createModel}'s {@code files}.
     */
    pushBlob
}
