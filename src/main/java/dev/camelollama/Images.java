package dev.camelollama;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.apache.camel.WrappedFile;

/**
 * Turns the image values a route has at hand into the bare base64 strings Ollama takes. A {@code data:...;base64,}
 * prefix is removed (Ollama rejects it with "illegal base64 data"); a string that is not base64 is refused here,
 * naming the header.
 */
final class Images {

    private Images() {
    }

    static List<String> toBase64(Object value) {
        if (value == null) {
            return null;
        }
        List<String> images = new ArrayList<>();
        if (value instanceof Collection<?> many) {
            for (Object one : many) {
                images.add(one(one));
            }
        } else if (value instanceof Object[] array) {
            for (Object one : array) {
                images.add(one(one));
            }
        } else {
            images.add(one(value));
        }
        return images;
    }

    private static String one(Object image) {
        try {
            if (image instanceof byte[] bytes) {
                return encode(bytes);
            }
            if (image instanceof File file) {
                return encode(Files.readAllBytes(file.toPath()));
            }
            if (image instanceof Path path) {
                return encode(Files.readAllBytes(path));
            }
            if (image instanceof WrappedFile<?> wrapped && wrapped.getFile() instanceof File file) {
                return encode(Files.readAllBytes(file.toPath()));
            }
            if (image instanceof InputStream in) {
                return encode(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(OllamaConstants.IMAGES + ": cannot read the image " + image + " ("
                                               + e.getMessage() + "); give a readable image file (not a "
                                               + "directory), its bytes, or base64 text", e);
        }
        if (image instanceof CharSequence text) {
            String base64 = text.toString().trim();
            int comma = base64.indexOf(',');
            if (base64.startsWith("data:") && comma > 0) {
                base64 = base64.substring(comma + 1);
            }
            try {
                Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(OllamaConstants.IMAGES + " holds a string that is not base64 ("
                                                   + e.getMessage() + "); give the image as bytes, a File or Path, "
                                                   + "or base64 text");
            }
            return base64;
        }
        throw new IllegalArgumentException(OllamaConstants.IMAGES + " holds a " + (image == null ? "null"
                : image.getClass().getName()) + "; give byte[], File, Path, a file consumer's file, an InputStream "
                                           + "or base64 text");
    }

    private static String encode(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException(OllamaConstants.IMAGES + " holds an empty image (0 bytes); give the image's bytes, "
                                               + "a non-empty File or Path, or base64 text, or remove the header");
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
