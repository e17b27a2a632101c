package dev.camelollama;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Puts the whole reply back together after a split-mode stream: use it as the Splitter's aggregation strategy and,
 * after the split, the parent's body is the full text and its headers carry the final chunk's metrics and, when
 * logprobs was asked for, every chunk's token log probabilities in one list (as in aggregate mode).
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
            List<?> logprobs = chunk.getHeader(OllamaConstants.TOKEN_LOGPROBS, List.class);
            if (logprobs != null) {
                chunk.setHeader(OllamaConstants.TOKEN_LOGPROBS, new ArrayList<Object>(logprobs));
            }
            return newExchange;
        }
        Message result = oldExchange.getIn();
        result.getBody(StringBuilder.class).append(text == null ? "" : text);
        appendLogprobs(result, chunk.getHeader(OllamaConstants.TOKEN_LOGPROBS, List.class));
        if (Boolean.TRUE.equals(chunk.getHeader(OllamaConstants.DONE, Boolean.class))) {
            // the final chunk carries the metrics
            chunk.getHeaders().forEach((name, value) -> {
                if (name.startsWith("CamelOllama") && !OllamaConstants.TOKEN_LOGPROBS.equals(name)) {
                    result.setHeader(name, value);
                }
            });
        }
        return oldExchange;
    }

    @SuppressWarnings("unchecked")
    private static void appendLogprobs(Message result, List<?> logprobs) {
        if (logprobs == null || logprobs.isEmpty()) {
            return;
        }
        List<Object> all = result.getHeader(OllamaConstants.TOKEN_LOGPROBS, List.class);
        if (all == null) {
            all = new ArrayList<>();
            result.setHeader(OllamaConstants.TOKEN_LOGPROBS, all);
        }
        all.addAll(logprobs);
    }

    @Override
    public void onCompletion(Exchange exchange) {
        if (exchange != null && exchange.getIn().getBody() instanceof StringBuilder all) {
            exchange.getIn().setBody(all.toString());
        }
    }
}
