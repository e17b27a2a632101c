package dev.camelollama.client;

import java.net.URI;
import java.util.Locale;

/**
 * Turns a server address as people write it into the base URI the client connects to, following the rules of
 * Ollama's own CLI for {@code OLLAMA_HOST}: a bare host gets port 11434, but {@code http://host} without a port
 * means 80 and {@code https://host} 443; {@code 0.0.0.0} (a bind address) means this machine; a path is kept (for
 * servers behind a reverse proxy). Only http and https are accepted, and no credentials in the address (they have
 * options of their own, which are masked).
 */
public final class OllamaHost {

    /** Where Ollama listens when nobody says otherwise. */
    public static final String DEFAULT_BASE_URL = "http://localhost:11434";

    private static final String OLLAMA_DEFAULT_PORT = "11434";

    private OllamaHost() {
    }

    /**
     * The base URI to use: the explicit {@code baseUrl} when given, else {@code OLLAMA_HOST} when set, else
     * {@link #DEFAULT_BASE_URL}.
     */
    public static URI resolve(String baseUrl, String ollamaHostEnv) {
        if (baseUrl != null && !baseUrl.isBlank()) {
            return parse(baseUrl, "baseUrl");
        }
        if (ollamaHostEnv != null && !ollamaHostEnv.isBlank()) {
            return parse(ollamaHostEnv, "OLLAMA_HOST");
        }
        return URI.create(DEFAULT_BASE_URL);
    }

    /**
     * Parses one address. {@code source} names where it came from, so that the error says what to fix.
     *
     * @throws IllegalArgumentException naming the source when the address cannot be used
     */
    public static URI parse(String address, String source) {
        String text = address.trim();
        int authorityStart = text.indexOf("://") >= 0 ? text.indexOf("://") + 3 : 0;
        int authorityEnd = text.indexOf('/', authorityStart);
        if (text.substring(authorityStart, authorityEnd < 0 ? text.length() : authorityEnd).indexOf('@') >= 0) {
            // the address itself is not repeated: it holds a password
            throw new IllegalArgumentException(source + " holds user credentials (user:password@host), which would "
                                               + "show wherever the address is logged; give the address without "
                                               + "them and set username and password (or bearerToken) instead");
        }
        String scheme = "http";
        String defaultPort = OLLAMA_DEFAULT_PORT;
        String rest = text;
        int schemeEnd = text.indexOf("://");
        if (schemeEnd >= 0) {
            scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            rest = text.substring(schemeEnd + 3);
            switch (scheme) {
                case "http" -> defaultPort = "80";
                case "https" -> defaultPort = "443";
                default -> throw new IllegalArgumentException(
                        source + " '" + address + "' uses the scheme '" + scheme
                        + "'; Ollama is reached over http or https, e.g. http://localhost:11434");
            }
        }
        String path = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            path = rest.substring(slash);
            rest = rest.substring(0, slash);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String host;
        String port;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(source + " '" + address + "' has an unclosed IPv6 bracket");
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            port = after.startsWith(":") && after.length() > 1 ? after.substring(1) : defaultPort;
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') == colon) {
                host = rest.substring(0, colon);
                port = colon + 1 < rest.length() ? rest.substring(colon + 1) : defaultPort;
            } else if (colon >= 0) {
                // several colons and no brackets: a bare IPv6 address without a port
                host = rest;
                port = defaultPort;
            } else {
                host = rest;
                port = defaultPort;
            }
        }
        if (host.isEmpty() || "0.0.0.0".equals(host)) {
            host = "127.0.0.1";
        } else if ("::".equals(host)) {
            host = "::1";
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + " '" + address + "' has the port '" + port
                                               + "', which is not a number; write host:port, e.g. localhost:11434");
        }
        if (portNumber < 1 || portNumber > 65535) {
            throw new IllegalArgumentException(source + " '" + address + "' has the port " + portNumber
                                               + ", outside 1-65535");
        }
        String hostPart = host.contains(":") ? "[" + host + "]" : host;
        try {
            return new URI(scheme + "://" + hostPart + ":" + portNumber + path);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(source + " '" + address + "' is not a valid address: " + e.getMessage(),
                    e);
        }
    }
}
