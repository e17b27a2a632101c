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
            "localhost:,                      http://localhost:11434",
            "HTTPS://Example.com,             https://Example.com:443",
            "http://localhost:,               http://localhost:80",
            "http://0.0.0.0,                  http://127.0.0.1:80",
            "https://0.0.0.0:8443,            https://127.0.0.1:8443",
            "http://0.0.0.0:11434/ollama,     http://127.0.0.1:11434/ollama",
            "[::]:11434,                      http://[::1]:11434",
            "::1,                             http://[::1]:11434",
            "[::1],                           http://[::1]:11434",
            "https://[::1],                   https://[::1]:443",
            "10.0.0.5,                        http://10.0.0.5:11434",
            "ollama.internal:443,             http://ollama.internal:443",
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

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ftp://example.com", "ws://localhost:11434", "file:///tmp/ollama", "grpc://localhost:11434",
                "unix:///var/run/ollama.sock"})
    void onlyHttpAndHttpsAreAccepted(String address) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OllamaHost.parse(address, "OLLAMA_HOST"));
        assertTrue(error.getMessage().contains("http or https"), error.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"http://alice:pw-SECRET@example.com:11434", "alice:pw-SECRET@example.com",
                "https://alice:pw-SECRET@example.com/ollama", "ftp://alice:pw-SECRET@example.com"})
    void credentialsInTheAddressAreRefusedWithoutRepeatingThem(String address) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> OllamaHost.parse(address, "baseUrl"));
        assertTrue(error.getMessage().contains("username and password"), error.getMessage());
        assertTrue(!error.getMessage().contains("pw-SECRET"), error.getMessage());
    }

    @Test
    void anAtSignInThePathIsNotACredential() {
        assertEquals(URI.create("http://example.com:80/users/@me"), OllamaHost.parse("http://example.com/users/@me",
                "baseUrl"));
    }

    @Test
    void portZeroIsRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaHost.parse("localhost:0", "baseUrl"))
                .getMessage().contains("1-65535"));
    }

    @Test
    void badPortsAreRefusedNamingTheSource() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaHost.parse("host:abc", "OLLAMA_HOST"))
                .getMessage().contains("OLLAMA_HOST"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OllamaHost.parse("host:70000", "baseUrl"))
                .getMessage().contains("1-65535"));
    }
}
