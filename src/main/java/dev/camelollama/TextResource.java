package dev.camelollama;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.apache.camel.CamelContext;
import org.apache.camel.support.ResourceHelper;

/**
 * An option value that is either the text itself or {@code resource:classpath:...} / {@code resource:file:...}
 * (Camel's resource loading), read once when the endpoint starts.
 */
final class TextResource {

    static final String PREFIX = "resource:";

    private TextResource() {
    }

    static String load(CamelContext context, String value, String option) {
        if (value == null || !value.startsWith(PREFIX)) {
            return value;
        }
        String uri = value.substring(PREFIX.length());
        try (InputStream in = ResourceHelper.resolveMandatoryResourceAsInputStream(context, uri)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " points at " + value + ", which cannot be read ("
                                               + e.getMessage() + "); use resource:classpath:path or "
                                               + "resource:file:path", e);
        }
    }
}
