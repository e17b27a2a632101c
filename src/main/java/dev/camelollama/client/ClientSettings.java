package dev.camelollama.client;

/**
 * What one {@link OllamaClient} (one connection pool) is built with.
 *
 * @param maxTotalConnections  the pool's size across all servers
 * @param connectionsPerRoute  the most connections to one server
 * @param maxLineBytes         the longest reply line accepted (Ollama's own client allows 8 MB)
 */
public record ClientSettings(int maxTotalConnections, int connectionsPerRoute, int maxLineBytes) {

    public static final ClientSettings DEFAULT = new ClientSettings(200, 20, 64 * 1024 * 1024);

    public ClientSettings {
        if (maxTotalConnections < 1) {
            throw new IllegalArgumentException("maxTotalConnections is " + maxTotalConnections + "; it must be 1 or more");
        }
        if (connectionsPerRoute < 1) {
            throw new IllegalArgumentException("connectionsPerRoute is " + connectionsPerRoute + "; it must be 1 or more");
        }
    }
}
