package dev.hstu.model.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** What a setting of a configuration record means, listed by {@link ConfigKeys} (e.g. in {@code --help}). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Doc {
    /** @return one short sentence */
    String value();
}
