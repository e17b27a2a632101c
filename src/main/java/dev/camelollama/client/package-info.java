/**
 * The only place that speaks HTTP to Ollama: one pooled asynchronous Apache HttpClient 5, incremental NDJSON
 * decoding, timeouts, retries and error mapping. No Camel types here.
 */
package dev.camelollama.client;
