package dev.camelollama;

import java.util.Map;

/**
 * Extra HTTP headers for every request the component sends to Ollama, asked for anew per request: for a proxy in
 * front of Ollama whose token rotates. Register an implementation as a bean and name it in the
 * {@code headersSupplier} option ({@code headersSupplier=#myHeaders}). It is called on the thread that sends the
 * request, so it must be quick (cache the token and refresh it in the background); its values are never logged.
 */
@FunctionalInterface
public interface OllamaHeadersSupplier {

    /** The headers to add, e.g. {@code Authorization: Bearer <token>}; null or empty for none. */
    Map<String, String> headers();
}
