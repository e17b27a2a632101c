package dev.camelollama;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExchangeHelper;

/** Reading a {@code byte[]} body as prompt text without silently replacing what is not text. */
final class TextBodies {

    private TextBodies() {
    }

    /**
     * The bytes as text in the exchange's charset ({@code CamelCharsetName}, else UTF-8); bytes that are not valid
     * in that charset fail with the fix instead of reaching the model as U+FFFD replacement characters.
     */
    static String decode(Exchange exchange, byte[] bytes, String operation) {
        String name = ExchangeHelper.getCharsetName(exchange, false);
        Charset charset = name != null ? Charset.forName(name) : StandardCharsets.UTF_8;
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("The " + operation + " operation got a byte[] message body that is not "
                                               + charset.name() + " text (" + e.getMessage() + "); give the text as a "
                                               + "String, or set the " + Exchange.CHARSET_NAME
                                               + " property to the body's charset.", e);
        }
    }
}
