/**
 * An Ollama-protocol HTTP/1.1 server on a raw socket, for tests, demos and users' own route tests: deterministic
 * default replies, scripted replies and faults (in the spirit of OkHttp's MockWebServer), recorded requests and
 * counters a test can assert on. It shares no code with the client on purpose: a bug in a shared parser would pass
 * every test.
 */
package dev.camelollama.simulator;
