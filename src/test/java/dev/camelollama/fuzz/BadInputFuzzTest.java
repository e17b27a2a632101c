package dev.camelollama.fuzz;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.camelollama.OllamaComponent;
import dev.camelollama.OllamaConstants;
import dev.camelollama.simulator.OllamaSimulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 4 A: randomised bad input (fixed seed) through real routes. Every case ends in an exception (on the exchange,
 * or when the endpoint/route starts) whose message names the field and says how to fix it, raised before any HTTP
 * call when the fault is ours; never a NullPointerException or ClassCastException, never a hang, never a leaked
 * pooled connection. Huge bodies must work or fail clearly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BadInputFuzzTest {

    private static final long SEED = 0x4_0_0_4L;
    private static final int RANDOM_CASES = 560;
    private static final int HUGE_BYTES = 5 * 1024 * 1024;

    /** Words of which at least one must appear in a message that tells the user what to do. */
    private static final List<String> FIX_WORDS = List.of("give", "set ", "use ", "pass", "one of", "accepted",
            "accepts", "takes", "expected", "must", "needs", "remove", "check", "such as", "e.g.", "for example");

    /** What a case must end in. */
    enum Expect {
        /** an exception naming the field, with a fix, before any HTTP call */
        LOCAL_FAILURE,
        /** success or a clear (typed, non NPE/CCE) failure, bounded in time */
        WORK_OR_FAIL_CLEARLY
    }

    /** One generated case. {@code route} is a direct: route name, or null for an endpoint-creation case. */
    record Case(int id, String category, String variant, String route, String uri, Consumer<Exchange> input,
            Expect expect, List<String> mustName) {
        @Override
        public String toString() {
            return "#" + id + " " + category + "/" + variant + " via " + (route != null ? route : uri);
        }
    }

    private static OllamaSimulator sim;
    private static Path dir;
    private static final Map<String, Integer> COUNTS = Collections.synchronizedMap(new TreeMap<>());
    private static final Map<String, Integer> OUTCOMES = Collections.synchronizedMap(new TreeMap<>());

    private CamelContext context;
    private ProducerTemplate template;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        sim = OllamaSimulator.start();
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (String op : List.of("chat", "generate")) {
                    for (String mode : List.of("off", "aggregate", "split")) {
                        from("direct:" + op + "-" + mode)
                                .to(uri(op, "model=llama3.2&streaming=" + mode + "&maximumRedeliveries=0"
                                            + "&idleTimeout=5s&firstByteTimeout=10s"));
                    }
                }
                from("direct:embed").to(uri("embed", "model=llama3.2&maximumRedeliveries=0"));
                // no model option: the model header is the only source
                from("direct:showModel").to(uri("showModel", "maximumRedeliveries=0"));
                from("direct:copyModel").to(uri("copyModel", "model=llama3.2&maximumRedeliveries=0"));
                from("direct:blobExists").to(uri("blobExists", "maximumRedeliveries=0"));
                from("direct:pushBlob").to(uri("pushBlob", "maximumRedeliveries=0"));
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (template != null) {
                template.close();
            }
            if (context != null) {
                context.stop();
            }
        } finally {
            sim.close();
            System.out.println("[fuzz] cases per category: " + COUNTS);
            System.out.println("[fuzz] outcomes: " + OUTCOMES);
        }
    }

    static String uri(String op, String options) {
        return "ollama:" + op + "?baseUrl=" + sim.baseUrl() + (options.isEmpty() ? "" : "&" + options);
    }

    // ------------------------------------------------------------------------------------------------ generation

    static Stream<Case> cases() {
        List<Case> all = new ArrayList<>();
        Random random = new Random(SEED);
        List<String> genRoutes = new ArrayList<>();
        for (String op : List.of("chat", "generate")) {
            for (String mode : List.of("off", "aggregate", "split")) {
                genRoutes.add(op + "-" + mode);
            }
        }
        // a few fixed huge-body cases (expensive: 5 MB each)
        for (String route : List.of("chat-aggregate", "generate-off", "generate-split", "embed")) {
            all.add(new Case(all.size(), "huge body", "5MB text", route, null,
                    e -> e.getIn().setBody(huge()), Expect.WORK_OR_FAIL_CLEARLY, List.of()));
        }
        while (all.size() < RANDOM_CASES) {
            int kind = random.nextInt(100);
            if (kind < 25) {
                all.add(endpointCase(all.size(), random));
            } else if (kind < 40) {
                all.add(managementCase(all.size(), random));
            } else if (kind < 52) {
                all.add(embedCase(all.size(), random));
            } else {
                String route = genRoutes.get(random.nextInt(genRoutes.size()));
                all.add(generationCase(all.size(), random, route));
            }
        }
        return all.stream();
    }

    private static String huge() {
        StringBuilder text = new StringBuilder(HUGE_BYTES + 16);
        while (text.length() < HUGE_BYTES) {
            text.append("octopus ");
        }
        return text.toString();
    }

    private static byte[] binary(Random random) {
        byte[] bytes = new byte[1 + random.nextInt(64)];
        random.nextBytes(bytes);
        bytes[0] = (byte) 0xC3; // a lead byte followed by a non-continuation byte: never valid UTF-8
        bytes[Math.min(1, bytes.length - 1)] = (byte) 0x28;
        return bytes;
    }

    private static String blank(Random random) {
        String[] blanks = { " ", "   ", "\t", "\n", " \r\n\t " };
        return blanks[random.nextInt(blanks.length)];
    }

    /** A wrong body type and its name. */
    private static Object[] wrongType(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> new Object[] { "Integer", random.nextInt() };
            case 1 -> new Object[] { "Map", Map.of("prompt", "hi", "n", random.nextInt(9)) };
            case 2 -> new Object[] { "Object", new Object() };
            case 3 -> new Object[] { "List<Integer>", List.of(random.nextInt(9), random.nextInt(9)) };
            case 4 -> new Object[] { "empty List", List.of() };
            default -> new Object[] { "Map(empty)", new HashMap<>() };
        };
    }

    private static Case generationCase(int id, Random random, String route) {
        String good = "question " + random.nextInt(1000);
        int fault = random.nextInt(15);
        return switch (fault) {
            case 0 -> new Case(id, "body null", "null", route, null, e -> e.getIn().setBody(null),
                    Expect.LOCAL_FAILURE, List.of("body"));
            case 1 -> new Case(id, "body empty", "\"\"", route, null, e -> e.getIn().setBody(""),
                    Expect.LOCAL_FAILURE, List.of("body"));
            case 2 -> {
                String b = blank(random);
                yield new Case(id, "body blank", "blank", route, null, e -> e.getIn().setBody(b),
                        Expect.LOCAL_FAILURE, List.of("body"));
            }
            case 3 -> {
                byte[] b = binary(random);
                yield new Case(id, "body binary", b.length + " bytes", route, null, e -> e.getIn().setBody(b),
                        Expect.LOCAL_FAILURE, List.of("body"));
            }
            case 4 -> {
                Object[] w = wrongType(random);
                yield new Case(id, "body wrong type", (String) w[0], route, null, e -> e.getIn().setBody(w[1]),
                        Expect.LOCAL_FAILURE, List.of("body|list"));
            }
            case 5 -> {
                String[] values = { "hot", "x", "", "NaN?", "1,5" };
                String v = values[random.nextInt(values.length)];
                String key = random.nextBoolean() ? "temperature" : "num_ctx";
                yield new Case(id, "header options", key + "=" + v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.OPTIONS, Map.of(key, v));
                }, Expect.LOCAL_FAILURE, List.of(key));
            }
            case 6 -> {
                Object v = random.nextBoolean() ? "temperature=hot" : (Object) 42;
                yield new Case(id, "header options", "not a Map: " + v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.OPTIONS, v);
                }, Expect.LOCAL_FAILURE, List.of(OllamaConstants.OPTIONS));
            }
            case 7 -> {
                String[] values = { "forever", "ten minutes", "5x", "m" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "header keepAlive", v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.KEEP_ALIVE, v);
                }, Expect.LOCAL_FAILURE, List.of("eep"));
            }
            case 8 -> {
                String[] values = { "maybe", "yes please", "extreme", "2" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "header think", v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.THINK, v);
                }, Expect.LOCAL_FAILURE, List.of("hink"));
            }
            case 9 -> {
                String[] values = { "{bad", "[1,2", "{\"type\":", "not json at all {" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "header format", v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.FORMAT, v);
                }, Expect.LOCAL_FAILURE, List.of("ormat"));
            }
            case 10 -> {
                String[] values = { "not base64 at all!", "%%%%", "data:image/png;base64,@@@@", "äöü" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "header images", "text " + v, route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.IMAGES, v);
                }, Expect.LOCAL_FAILURE, List.of(OllamaConstants.IMAGES));
            }
            case 11 -> new Case(id, "header images", "empty byte[]", route, null, e -> {
                e.getIn().setBody(good);
                e.getIn().setHeader(OllamaConstants.IMAGES, new byte[0]);
            }, Expect.LOCAL_FAILURE, List.of(OllamaConstants.IMAGES));
            case 12 -> new Case(id, "header images", "directory File", route, null, e -> {
                e.getIn().setBody(good);
                e.getIn().setHeader(OllamaConstants.IMAGES, dir.toFile());
            }, Expect.LOCAL_FAILURE, List.of(OllamaConstants.IMAGES));
            case 13 -> {
                Object v = random.nextBoolean() ? List.of(1, 2) : new Object();
                yield new Case(id, "header images", "wrong type " + v.getClass().getSimpleName(), route, null, e -> {
                    e.getIn().setBody(good);
                    e.getIn().setHeader(OllamaConstants.IMAGES, v);
                }, Expect.LOCAL_FAILURE, List.of(OllamaConstants.IMAGES));
            }
            default -> {
                String v = random.nextBoolean() ? "" : blank(random);
                yield new Case(id, "header prompt blank", "blank prompt header, blank body", route, null, e -> {
                    e.getIn().setBody(v);
                    e.getIn().setHeader(OllamaConstants.PROMPT, v);
                }, Expect.LOCAL_FAILURE, List.of("body"));
            }
        };
    }

    private static Case embedCase(int id, Random random) {
        int fault = random.nextInt(6);
        return switch (fault) {
            case 0 -> new Case(id, "body null", "null", "embed", null, e -> e.getIn().setBody(null),
                    Expect.LOCAL_FAILURE, List.of("body"));
            case 1 -> new Case(id, "body empty", "\"\"", "embed", null, e -> e.getIn().setBody(""),
                    Expect.LOCAL_FAILURE, List.of("blank"));
            case 2 -> {
                String b = blank(random);
                yield new Case(id, "body blank", "blank", "embed", null, e -> e.getIn().setBody(b),
                        Expect.LOCAL_FAILURE, List.of("blank"));
            }
            case 3 -> {
                byte[] b = binary(random);
                yield new Case(id, "body binary", b.length + " bytes", "embed", null, e -> e.getIn().setBody(b),
                        Expect.LOCAL_FAILURE, List.of("body"));
            }
            case 4 -> {
                Object[] w = wrongType(random);
                // an empty List is documented for embed: it only loads the model
                boolean documented = "empty List".equals(w[0]);
                yield new Case(id, "body wrong type", (String) w[0], "embed", null, e -> e.getIn().setBody(w[1]),
                        documented ? Expect.WORK_OR_FAIL_CLEARLY : Expect.LOCAL_FAILURE,
                        documented ? List.of() : List.of("embed"));
            }
            default -> {
                List<Object> list = new ArrayList<>(List.of("fine", random.nextBoolean() ? "  " : ""));
                Collections.shuffle(list, random);
                yield new Case(id, "body wrong type", "List with a blank element", "embed", null,
                        e -> e.getIn().setBody(list), Expect.WORK_OR_FAIL_CLEARLY, List.of());
            }
        };
    }

    private static Case managementCase(int id, Random random) {
        int fault = random.nextInt(9);
        return switch (fault) {
            case 0 -> {
                String v = random.nextBoolean() ? "" : blank(random);
                yield new Case(id, "header model blank", "showModel", "showModel", null,
                        e -> e.getIn().setHeader(OllamaConstants.MODEL, v), Expect.LOCAL_FAILURE, List.of("model"));
            }
            case 1 -> new Case(id, "header model blank", "showModel, no header", "showModel", null,
                    e -> e.getIn().setBody(null), Expect.LOCAL_FAILURE, List.of("model"));
            case 2 -> {
                String v = random.nextBoolean() ? "" : blank(random);
                yield new Case(id, "header destination blank", "copyModel", "copyModel", null,
                        e -> e.getIn().setHeader(OllamaConstants.DESTINATION, v), Expect.LOCAL_FAILURE,
                        List.of("destination"));
            }
            case 3 -> {
                String[] values = { "sha256:xyz", "md5:abc", "zz", "sha256:" + "g".repeat(64) };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "header digest bad", v, "blobExists", null,
                        e -> e.getIn().setHeader(OllamaConstants.DIGEST, v), Expect.LOCAL_FAILURE, List.of("digest"));
            }
            case 4 -> {
                byte[] b = binary(random);
                yield new Case(id, "body binary", "blobExists", "blobExists", null, e -> e.getIn().setBody(b),
                        Expect.LOCAL_FAILURE, List.of("digest"));
            }
            case 5 -> {
                Object[] w = wrongType(random);
                yield new Case(id, "body wrong type", "pushBlob " + w[0], "pushBlob", null,
                        e -> e.getIn().setBody(w[1]), Expect.LOCAL_FAILURE, List.of("pushBlob"));
            }
            case 6 -> new Case(id, "body wrong type", "pushBlob directory File", "pushBlob", null,
                    e -> e.getIn().setBody(dir.toFile()), Expect.LOCAL_FAILURE, List.of("pushBlob"));
            default -> new Case(id, "body null", "pushBlob", "pushBlob", null,
                    e -> e.getIn().setBody(null), Expect.LOCAL_FAILURE, List.of("pushBlob"));
        };
    }

    private static Case endpointCase(int id, Random random) {
        String[] ops = { "chat", "generate", "embed" };
        String op = ops[random.nextInt(ops.length)];
        String base = "model=llama3.2";
        int fault = random.nextInt(8);
        return switch (fault) {
            case 0 -> {
                String[] names = { "nope", "chats", "Generate2", "list", "embedding" };
                String n = names[random.nextInt(names.length)];
                yield new Case(id, "endpoint unknown operation", n, null, "ollama:" + n + "?" + base, null,
                        Expect.LOCAL_FAILURE, List.of(n, "chat"));
            }
            case 1 -> {
                String[] options = { "idleTimeout", "firstByteTimeout", "connectTimeout", "totalTimeout" };
                String o = options[random.nextInt(options.length)];
                String v = random.nextBoolean() ? "-1" : "-" + (1 + random.nextInt(5000));
                yield new Case(id, "endpoint negative timeout", o + "=" + v, null, uri(op, base + "&" + o + "=" + v),
                        null, Expect.LOCAL_FAILURE, List.of(o));
            }
            case 2 -> {
                String[] values = { "x", "lots", "4k", "1.5" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "endpoint bad option type", "options.num_ctx=" + v, null,
                        uri(op, base + "&options.num_ctx=" + v), null, Expect.LOCAL_FAILURE, List.of("num_ctx"));
            }
            case 3 -> new Case(id, "endpoint bad option type", "temperature=hot", null,
                    uri(op.equals("embed") ? "chat" : op, base + "&temperature=hot"), null, Expect.LOCAL_FAILURE,
                    List.of("temperature"));
            case 4 -> new Case(id, "endpoint bad option type", "keepAlive=forever", null,
                    uri(op, base + "&keepAlive=forever"), null, Expect.LOCAL_FAILURE, List.of("keepAlive"));
            case 5 -> new Case(id, "endpoint bad option type", "think=maybe", null,
                    uri(op.equals("embed") ? "chat" : op, base + "&think=maybe"), null, Expect.LOCAL_FAILURE,
                    List.of("think"));
            case 6 -> new Case(id, "endpoint bad option type", "streaming=sometimes", null,
                    uri(op, base + "&streaming=sometimes"), null, Expect.LOCAL_FAILURE, List.of("streaming"));
            case 7 -> {
                // Camel's binding used to take a word for an int option as 0, silently
                String[] options = { "maximumRedeliveries=x", "maximumRedeliveries=1.5", "autoPull=maybe",
                                     "connectTimeout=soon", "redeliveryDelay=fast", "maxReplySize=lots" };
                String o = options[random.nextInt(options.length)];
                yield new Case(id, "endpoint bad option type", o, null, uri(op, base + "&" + o), null,
                        Expect.LOCAL_FAILURE, List.of(o));
            }
            default -> {
                String[] values = { "{bad", "[", "{\"type\":}" };
                String v = values[random.nextInt(values.length)];
                yield new Case(id, "endpoint invalid schema", "format=" + v, null,
                        uri(op.equals("embed") ? "generate" : op, base + "&format=" + v), null, Expect.LOCAL_FAILURE,
                        List.of("format"));
            }
        };
    }

    // ------------------------------------------------------------------------------------------------ running

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputFailsClearly(Case c) throws Exception {
        COUNTS.merge(c.category(), 1, Integer::sum);
        int before = sim.requestCount();
        Throwable failure;
        Object body = null;
        if (c.route() == null) {
            failure = startEndpoint(c);
        } else {
            Exchange result = template.send("direct:" + c.route(), c.input()::accept);
            failure = result.getException();
            body = result.getMessage().getBody();
            if (body instanceof Closeable closeable) {
                closeable.close();
            }
        }
        String outcome = failure == null ? "ok" : rootOf(failure).getClass().getSimpleName();
        OUTCOMES.merge(c.category() + " -> " + outcome, 1, Integer::sum);

        if (failure != null) {
            assertNoNpeOrCce(c, failure);
        }
        if (c.expect() == Expect.LOCAL_FAILURE) {
            if (failure == null) {
                fail(c + ": expected a failure, the exchange succeeded with body "
                     + (body == null ? null : body.getClass().getName()));
            }
            String message = messages(failure);
            for (String name : c.mustName()) {
                assertTrue(Arrays.stream(name.split("\\|"))
                                .anyMatch(n -> message.toLowerCase(Locale.ROOT).contains(n.toLowerCase(Locale.ROOT))),
                        c + ": the message should name '" + name + "': " + message);
            }
            assertTrue(FIX_WORDS.stream().anyMatch(w -> message.toLowerCase(Locale.ROOT).contains(w)),
                    c + ": the message should say how to fix it: " + message);
            assertEquals(before, sim.requestCount(), c + ": no HTTP call may be made for our own fault");
        }
        OllamaComponent component = context.getComponent("ollama", OllamaComponent.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (component.poolStats().getLeased() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, component.poolStats().getLeased(), c + ": a pooled connection leaked");
    }

    /** The endpoint as a route would get it: created, and its producer started. */
    private Throwable startEndpoint(Case c) {
        String routeId = "ep-" + c.id();
        try {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:" + routeId).routeId(routeId).to(c.uri());
                }
            });
            // the route started: the fault must show on the first exchange, before any request
            Exchange result = template.send("direct:" + routeId, e -> e.getIn().setBody("hello"));
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
            OUTCOMES.merge(c.category() + " [failed only at the first exchange]", 1, Integer::sum);
            return result.getException();
        } catch (Exception e) {
            try {
                context.getRouteController().stopRoute(routeId);
                context.removeRoute(routeId);
            } catch (Exception ignored) {
                // the route never got in
            }
            return e;
        }
    }

    private static void assertNoNpeOrCce(Case c, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NullPointerException || t instanceof ClassCastException
                || t instanceof ArrayIndexOutOfBoundsException) {
                throw new AssertionError(c + ": failed with " + t, failure);
            }
            if (t.getCause() == t) {
                break;
            }
        }
    }

    private static Throwable rootOf(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable x = t; x != null; x = x.getCause()) {
            all.append(x.getClass().getSimpleName()).append(": ").append(x.getMessage()).append(" | ");
            if (x.getCause() == x) {
                break;
            }
        }
        return all.toString();
    }
}
