package dev.camelollama.client;

import org.apache.hc.core5.http.message.BasicHeader;

/**
 * A request header whose value is sent but never printed: HttpClient logs every request header with its
 * {@code toString()} at DEBUG ({@code org.apache.hc.client5.http.headers}), and the extra headers of a request
 * carry credentials (Authorization, API keys). Marked sensitive too, so HTTP/2 would not index it.
 */
final class MaskedHeader extends BasicHeader {

    private static final long serialVersionUID = 1L;

    MaskedHeader(String name, String value) {
        super(name, value, true);
    }

    @Override
    public String toString() {
        return getName() + ": ***";
    }
}
