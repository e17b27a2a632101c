/**
 * Ollama's wire types as Java records: requests, messages, tool calls, metrics. No logic and no Camel types.
 */
package dev.camelollama.api;
