package dev.camelollama.client;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server address follows the rules of Ollama's own CLI for OLLAMA_HOST. */
@Timeout(10)
class OllamaHostTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "localhost,                       http://localhost:11434",
            "example.com,                     http://example.com:11434",
            "example.com:1234,                http://example.com:1234",
            "http://example.com,              http://example.com:80",
            "https://example.com,             https://example.com:443",
            "https://example.com:8443/ollama, https://example.com:8443/ollama",
            "http://example.com/ollama/,      http://example.com:80/ollama",
            "0.0.0.0,                         http://127.0.0.1:11434",
            "0.0.0.0:5000,                    http://127.0.0.1:5000",
            "127.0.0.1,                       http://127.0.0.1:11434",
            "[::1]:9000,                      http://[::1]:9000",
            "'  localhost:11435  ',           http://localhost:11435",
            ":11434,                          http://127.0.0.1:11434",
    })
    void addressesAreReadAsOllamaReadsThem(String address, String expected) {
        assertEquals(URI.create(expected), OllamaHost.parse(address, "OLLAMA_HOST"));
    }

    @Test
    void baseUrlWinsOverTheEnvironmentWhichWinsOverTheDefault() {
        assertEquals(URI.create("http://a:1"), OllamaHost.resolve("http://a:1", "b:2"));
        assertEquals(URI.create("http://b:2"), OllamaHost.resolve(null, "b:2"));
        assertEquals(URI.create("http://b:2"), OllamaHost.resolve(" ", "b:2"));
        assertEquals(URI.create(OllamaHost.DEFAULT_BASE_URL), OllamaHost.resolve(null, null));
    }

    @Test
    void otherSchemesAreRefusedNamingTheSource() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OllamaHost.parse("ftp://example.com", "baseUrl"));
        assertTrue(error.getMessage().startsWith("baseUrl 'ftp://example.com'"), error.getMessage());
        assertTrue(error.getMessage().contains("http or https"), error.getMessage());
    }

    @Test
    void badPortsAreRefusedNamingTheSource() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaHost.parse("host:abc", "OLLAMA_HOST"))
                .getMessage().contains("OLLAMA_HOST"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaHost.parse("host:70000", "baseUrl"))
                .getMessage().contains("1-65535"));
    }
}
