package dev.camelollama;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Derives the JSON schema Ollama's {@code format} takes from a Java type, so that {@code outputClass} alone
 * constrains the model's output to something Jackson can read back into that type. Covers records and plain
 * classes with fields: strings, numbers, booleans, enums, collections, arrays, maps and nested types.
 */
final class JsonSchemas {

    private JsonSchemas() {
    }

    static Map<String, Object> forClass(Class<?> type) {
        return schema(type, type, new java.util.HashSet<>());
    }

    private static Map<String, Object> schema(Type generic, Class<?> raw, Set<Class<?>> visiting) {
        Map<String, Object> schema = new LinkedHashMap<>();
        if (raw == String.class || raw == Character.class || raw == char.class || CharSequence.class.isAssignableFrom(raw)
            || raw == java.time.LocalDate.class || raw == java.time.Instant.class
            || raw == java.time.OffsetDateTime.class || raw == java.time.LocalDateTime.class) {
            schema.put("type", "string");
        } else if (raw == boolean.class || raw == Boolean.class) {
            schema.put("type", "boolean");
        } else if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class
                   || raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class
                   || raw == java.math.BigInteger.class) {
            schema.put("type", "integer");
        } else if (raw.isPrimitive() || Number.class.isAssignableFrom(raw)) {
            schema.put("type", "number");
        } else if (raw.isEnum()) {
            schema.put("type", "string");
            List<String> values = new ArrayList<>();
            for (Object constant : raw.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            schema.put("enum", values);
        } else if (raw.isArray()) {
            schema.put("type", "array");
            schema.put("items", schema(raw.getComponentType(), raw.getComponentType(), visiting));
        } else if (Collection.class.isAssignableFrom(raw)) {
            schema.put("type", "array");
            Type item = typeArgument(generic, 0);
            schema.put("items", schema(item, rawClass(item), visiting));
        } else if (Map.class.isAssignableFrom(raw)) {
            schema.put("type", "object");
            Type value = typeArgument(generic, 1);
            schema.put("additionalProperties", schema(value, rawClass(value), visiting));
        } else if (raw == Object.class) {
            return schema;
        } else {
            if (!visiting.add(raw)) {
                schema.put("type", "object");
                return schema;
            }
            Map<String, Object> properties = new LinkedHashMap<>();
            if (raw.isRecord()) {
                for (RecordComponent component : raw.getRecordComponents()) {
                    properties.put(component.getName(),
                            schema(component.getGenericType(), component.getType(), visiting));
                }
            } else {
                for (Class<?> level = raw; level != null && level != Object.class; level = level.getSuperclass()) {
                    for (Field field : level.getDeclaredFields()) {
                        int modifiers = field.getModifiers();
                        if (!Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers) && !field.isSynthetic()) {
                            properties.putIfAbsent(field.getName(),
                                    schema(field.getGenericType(), field.getType(), visiting));
                        }
                    }
                }
            }
            visiting.remove(raw);
            schema.put("type", "object");
            schema.put("properties", properties);
            schema.put("required", new ArrayList<>(properties.keySet()));
        }
        return schema;
    }

    private static Type typeArgument(Type generic, int index) {
        if (generic instanceof ParameterizedType parameterized
            && parameterized.getActualTypeArguments().length > index) {
            return parameterized.getActualTypeArguments()[index];
        }
        return Object.class;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> cls) {
            return cls;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return Object.class;
    }
}
