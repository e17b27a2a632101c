package dev.camelollama;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.WrappedFile;

import dev.camelollama.api.ListModelsResponse;
import dev.camelollama.api.RunningModelsResponse;
import dev.camelollama.api.ShowModelResponse;
import dev.camelollama.api.VersionResponse;
import dev.camelollama.client.DocumentReply;
import dev.camelollama.client.OllamaClient;
import dev.camelollama.client.OllamaProtocolException;
import dev.camelollama.client.OllamaRequest;
import dev.camelollama.client.ReplyFormat;

/**
 * The model-management operations that answer with one plain reply: listModels, showModel, runningModels, version,
 * copyModel, deleteModel, blobExists and pushBlob.
 */
final class ModelHandler implements OperationHandler {

    private static final Pattern DIGEST = Pattern.compile("sha256[:-][0-9a-f]{64}");
    private static final Pattern BARE_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int HASH_BUFFER_BYTES = 64 * 1024;

    private final OllamaEndpoint endpoint;
    private final OllamaClient client;
    private final InFlightCalls replyExecutor;
    private final ManagementRequests requests;

    ModelHandler(OllamaEndpoint endpoint, OllamaClient client, InFlightCalls replyExecutor) {
        this.endpoint = endpoint;
        this.client = client;
        this.replyExecutor = replyExecutor;
        this.requests = new ManagementRequests(endpoint, client.mapper());
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        OllamaOperation operation = endpoint.getOperation();
        OllamaRequest request;
        Path upload = null;
        String digest = null;
        try {
            Message in = exchange.getIn();
            switch (operation) {
                case listModels -> request = requests.request("GET", "/api/tags", null, ReplyFormat.DOCUMENT, null);
                case runningModels -> request = requests.request("GET", "/api/ps", null, ReplyFormat.DOCUMENT, null);
                case version -> request = requests.request("GET", "/api/version", null, ReplyFormat.DOCUMENT, null);
                case showModel -> {
                    String model = requests.requireModel(in, null);
                    Boolean header = in.getHeader(OllamaConstants.VERBOSE, Boolean.class);
                    boolean verbose = header != null ? header : endpoint.getConfiguration().isVerbose();
                    request = requests.request("POST", "/api/show",
                            ManagementRequests.object("model", model, "verbose", verbose ? Boolean.TRUE : null),
                            ReplyFormat.DOCUMENT, model);
                }
                case copyModel -> {
                    String source = requests.requireModel(in, null);
                    String destination = ManagementRequests.firstNonBlank(
                            in.getHeader(OllamaConstants.DESTINATION, String.class),
                            endpoint.getConfiguration().getDestination());
                    if (destination == null) {
                        throw new IllegalArgumentException("copyModel needs the name of the copy: set the destination "
                                                           + "option or the " + OllamaConstants.DESTINATION
                                                           + " header.");
                    }
                    request = requests.request("POST", "/api/copy",
                            ManagementRequests.object("source", source, "destination", destination),
                            ReplyFormat.DOCUMENT, source);
                }
                case deleteModel -> {
                    String model = requests.requireModel(in, null);
                    request = requests.request("DELETE", "/api/delete", ManagementRequests.object("model", model),
                            ReplyFormat.DOCUMENT, model);
                }
                case blobExists -> {
                    digest = digestToCheck(in);
                    request = requests.request("HEAD", "/api/blobs/" + digest, null, ReplyFormat.DOCUMENT, null);
                }
                case pushBlob -> {
                    Object body = in.getBody();
                    byte[] bytes = body instanceof byte[] array ? array : null;
                    upload = bytes == null ? fileOf(body) : null;
                    digest = bytes != null ? digestOf(bytes) : digestOf(upload);
                    request = requests.bytes("POST", "/api/blobs/" + digest, bytes, ReplyFormat.DOCUMENT, null);
                }
                default -> throw new IllegalStateException("operation " + operation);
            }
        } catch (RuntimeException badInput) {
            exchange.setException(badInput);
            callback.done(true);
            return true;
        }
        String checkedDigest = digest;
        ReplyContinuation<DocumentReply> continuation =
                new ReplyContinuation<>(exchange, callback, replyExecutor) {
                    @Override
                    void apply(Exchange target, DocumentReply reply) throws IOException {
                        applyReply(target.getMessage(), reply, checkedDigest);
                    }
                };
        if (upload != null) {
            client.upload(request, upload, continuation);
        } else {
            client.document(request, continuation);
        }
        return false;
    }

    private void applyReply(Message message, DocumentReply reply, String digest) throws IOException {
        switch (endpoint.getOperation()) {
            case listModels -> message.setBody(decode(reply, ListModelsResponse.class).models());
            case runningModels -> message.setBody(decode(reply, RunningModelsResponse.class).models());
            case version -> message.setBody(decode(reply, VersionResponse.class).version());
            case showModel -> message.setBody(decode(reply, ShowModelResponse.class));
            case copyModel, deleteModel -> message.setBody(null);
            case blobExists -> {
                message.setBody(reply.found());
                message.setHeader(OllamaConstants.DIGEST, digest);
            }
            case pushBlob -> {
                message.setBody(digest);
                message.setHeader(OllamaConstants.DIGEST, digest);
            }
            default -> throw new IllegalStateException("operation " + endpoint.getOperation());
        }
    }

    private <T> T decode(DocumentReply reply, Class<T> type) {
        try {
            if (reply.body().length == 0) {
                throw new OllamaProtocolException("the reply of ollama:" + endpoint.getOperation() + " was empty; "
                                                  + "expected JSON", 1, "", null);
            }
            return requests.mapper().readValue(reply.body(), type);
        } catch (IOException e) {
            throw new OllamaProtocolException("the reply of ollama:" + endpoint.getOperation()
                                              + " is not the expected JSON ("
                                              + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + ")",
                    1, null, e);
        }
    }

    /** blobExists: the digest from the header, else from the body; {@code sha256:} is added to bare hex. */
    private static String digestToCheck(Message in) {
        String given = ManagementRequests.firstNonBlank(in.getHeader(OllamaConstants.DIGEST, String.class),
                in.getBody() instanceof CharSequence text ? text.toString() : null);
        if (given == null) {
            throw new IllegalArgumentException("blobExists needs a digest (sha256:<64 hex digits>) in the "
                                               + OllamaConstants.DIGEST + " header or as the String body.");
        }
        String digest = given.trim().toLowerCase(Locale.ROOT);
        if (BARE_HEX.matcher(digest).matches()) {
            digest = "sha256:" + digest;
        }
        if (!DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("blobExists: '" + given + "' is not a blob digest; give sha256: "
                                               + "followed by 64 hex digits, as pushBlob answers.");
        }
        return digest.replace('-', ':');
    }

    /** pushBlob: the local file behind the body. */
    private static Path fileOf(Object body) {
        Object file = body instanceof WrappedFile<?> wrapped ? wrapped.getFile() : body;
        Path path = file instanceof Path p ? p : file instanceof File f ? f.toPath() : null;
        if (path == null) {
            throw new IllegalArgumentException("pushBlob uploads a file: give a File, a Path, a file consumer's file "
                                               + "(from(\"file:...\")) or a byte[]; the body is "
                                               + (body == null ? "empty" : "a " + body.getClass().getName()
                                                                           + (body instanceof WrappedFile<?>
                                                                                   ? " whose file is not local" : "")));
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("pushBlob: " + path + " is not a readable file; give a "
                                               + "regular file (not a directory) that this process can read");
        }
        return path;
    }

    /** The file's sha256 in one streamed pass, never holding the file in memory. */
    static String digestOf(Path file) {
        MessageDigest sha256 = sha256();
        byte[] buffer = new byte[HASH_BUFFER_BYTES];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read; (read = in.read(buffer)) >= 0;) {
                sha256.update(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pushBlob could not read " + file + ": " + e.getMessage(), e);
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    static String digestOf(byte[] bytes) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
