package dev.camelollama;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts the whole reply back together after a split-mode stream: use it as the Splitter's aggregation strategy and,
 * after the split, the parent's body is the full text and its headers carry the final chunk's metrics.
 * <pre>
 * .to("ollama:chat?model=llama3.2&amp;streaming=split")
 * .split(body(), new ReplyTextAggregationStrategy()).streaming()
 *     .to("seda:toTheUser")
 * .end()
 * .to("file:answers");   // the whole text
 * </pre>
 * It keeps the whole text in memory, as it must; without it split mode holds only a few chunks at a time.
 */
public class ReplyTextAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Message chunk = newExchange.getIn();
        String text = chunk.getBody(String.class);
        if (oldExchange == null) {
            StringBuilder all = new StringBuilder(text == null ? "" : text);
            chunk.setBody(all);
            return newExchange;
        }
        Message result = oldExchange.getIn();
        result.getBody(StringBuilder.class).append(text == null ? "" : text);
        if (Boolean.TRUE.equals(chunk.getHeader(OllamaConstants.DONE, Boolean.class))) {
            // the final chunk carries the metrics
            chunk.getHeaders().forEach((name, value) -> {
                if (name.startsWith("CamelOllama")) {
                    result.setHeader(name, value);
                }
            });
        }
        return oldExchange;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null && exchange.getIn().getBody() instanceof StringBuilder all) {
            exchange.getIn().setBody(all.toString());
        }
    }
}
