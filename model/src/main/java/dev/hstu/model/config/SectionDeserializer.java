package dev.hstu.model.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a configuration record whose absent settings take the value of the record's static {@code defaults()}, and
 * whose unknown settings are an error whatever the mapper's features: the one rule of every section, in one place,
 * so a record states each setting once (its component) and its default once.
 *
 * <p>A record that uses it is annotated {@code @JsonDeserialize(using = SectionDeserializer.class)} and has a
 * {@code public static R defaults()}. A JSON {@code null} for a record-typed setting leaves that optional group out.
 */
public final class SectionDeserializer extends JsonDeserializer<Record> implements ContextualDeserializer {

    private final Class<? extends Record> type;

    /** The instance Jackson creates from the annotation; {@link #createContextual} gives the typed one. */
    public SectionDeserializer() {
        this(null);
    }

    private SectionDeserializer(Class<? extends Record> type) {
        this.type = type;
    }

    @Override
    @SuppressWarnings("unchecked")
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
        JavaType t = ctxt.getContextualType() != null ? ctxt.getContextualType() : property.getType();
        return new SectionDeserializer((Class<? extends Record>) t.getRawClass());
    }

    @Override
    public Record deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        JsonNode node = p.readValueAsTree();
        if (!node.isObject()) {
            return (Record) ctxt.handleUnexpectedToken(type, p);
        }
        RecordComponent[] components = type.getRecordComponents();
        List<Object> known = new ArrayList<>();
        for (RecordComponent c : components) {
            known.add(c.getName());
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                Optional<String> moved =
                        type == HstuConfig.class ? LegacyFlatConfig.composedKey(name) : Optional.empty();
                if (moved.isPresent()) {
                    throw JsonMappingException.from(
                            p,
                            "model." + name + " is now model." + moved.get()
                                    + " (the model settings are grouped by module)");
                }
                throw UnrecognizedPropertyException.from(p, type, name, known);
            }
        }
        Record defaults = defaults(type);
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonNode value = node.get(c.getName());
            try {
                if (value == null) {
                    values[i] = c.getAccessor().invoke(defaults);
                } else if (value.isNull() && !c.getType().isPrimitive()) {
                    values[i] = null;
                } else if (value.isNull()) {
                    throw JsonMappingException.from(p, "must not be null");
                } else {
                    JavaType javaType = ctxt.getTypeFactory().constructType(c.getGenericType());
                    values[i] = ctxt.readTreeAsValue(value, javaType);
                }
            } catch (JsonMappingException e) {
                throw JsonMappingException.wrapWithPath(e, type, c.getName());
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read the default of " + type.getSimpleName(), e);
            }
        }
        try {
            Constructor<? extends Record> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (InvocationTargetException e) {
            throw JsonMappingException.from(p, e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getSimpleName(), e);
        }
    }

    /**
     * @param type a configuration record
     * @return its {@code defaults()}
     */
    static Record defaults(Class<? extends Record> type) {
        try {
            return (Record) type.getMethod("defaults").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(type.getSimpleName() + " has no public static defaults()", e);
        }
    }

    /** @return whether values of this type are read by this deserializer (a nested section) */
    static boolean isSection(Class<?> type) {
        JsonDeserialize using = type.getAnnotation(JsonDeserialize.class);
        return type.isRecord() && using != null && using.using() == SectionDeserializer.class;
    }
}
