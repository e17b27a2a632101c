package dev.camelollama;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.UriParam;

/**
 * Checks the endpoint options of a simple type (enum, number, true/false, duration) before Camel binds them, and
 * says what a wrong one takes: the allowed values of an enum, a number, true/false or a duration, each with an
 * example. Camel's own binding error names the option and the Java type only, and for an int option it even takes
 * a word as 0 ({@code maximumRedeliveries=x} silently switched redelivery off).
 */
final class OptionBindingErrors {

    /** The options whose URI text is a duration although the field holds milliseconds. */
    private static final Set<String> DURATIONS = new TreeSet<>();
    /** Each option's documented default, lower-cased name to value: the example a message gives. */
    private static final Map<String, String> DEFAULTS = new java.util.HashMap<>();

    static {
        for (Field field : OllamaConfiguration.class.getDeclaredFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            if (param == null) {
                continue;
            }
            String name = (param.name().isEmpty() ? field.getName() : param.name()).toLowerCase(Locale.ROOT);
            if (Duration.class.getName().equals(param.javaType())) {
                DURATIONS.add(name);
            }
            if (!param.defaultValue().isEmpty() && !"0".equals(param.defaultValue())) {
                DEFAULTS.put(name, param.defaultValue());
            }
        }
    }

    private OptionBindingErrors() {
    }

    /**
     * Fails with a message naming the option, its value and what it takes, for the first option in
     * {@code parameters} whose text is not of its type. Bean references and placeholders are left to Camel.
     */
    static void check(Map<String, Object> parameters, String endpoint, CamelContext camelContext) {
        OllamaEndpointConfigurer configurer = new OllamaEndpointConfigurer();
        for (Map.Entry<String, Object> parameter : parameters.entrySet()) {
            if (!(parameter.getValue() instanceof String text) || text.startsWith("#") || text.contains("{{")) {
                continue;
            }
            String name = parameter.getKey();
            Class<?> type = DURATIONS.contains(name.toLowerCase(Locale.ROOT))
                    ? Duration.class : configurer.getOptionType(name, true);
            if (type != null && !fits(text.trim(), type, camelContext)) {
                throw new IllegalArgumentException("The option " + name + "=" + text + " of " + endpoint
                                                   + " is not valid: " + whatItTakes(type, name));
            }
        }
    }

    private static boolean fits(String text, Class<?> type, CamelContext camelContext) {
        try {
            if (type.isEnum()) {
                return Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.toString().equalsIgnoreCase(text));
            }
            if (type == boolean.class || type == Boolean.class) {
                return "true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text);
            }
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(text);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(text);
            } else if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
                Double.parseDouble(text);
            } else if (type == Duration.class) {
                return camelContext.getTypeConverter().mandatoryConvertTo(Duration.class, text) != null;
            }
            return true;
        } catch (Exception notOfItsType) {
            return false;
        }
    }

    private static String whatItTakes(Class<?> type, String name) {
        String example = DEFAULTS.get(name.toLowerCase(Locale.ROOT));
        if (type.isEnum()) {
            String values = Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
            return "use one of " + values + " (e.g. " + name + "="
                   + (example != null ? example : type.getEnumConstants()[0]) + ")";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "use true or false (e.g. " + name + "=true)";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "give a whole number" + (example != null ? " (e.g. " + name + "=" + example + ")" : "");
        }
        if (type == Duration.class) {
            return "give a duration such as 500ms, 30s, 5m or 1h30m, an ISO-8601 duration such as PT30S, or "
                   + "milliseconds (e.g. " + name + "=" + (example != null ? example : "30s") + ")";
        }
        return "give a number, with a dot for decimals (e.g. " + name + "=" + (example != null ? example : "0.7")
               + ")";
    }

}
