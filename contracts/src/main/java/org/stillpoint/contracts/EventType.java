package org.stillpoint.contracts;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The published name and revision of an event: the wire format, frozen once released.
 * <p>
 * The CloudEvents type is {@code name + ".v" + revision}, for example {@code stillpoint.consent.granted.v1}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

    /** The published name without its version, such as {@code stillpoint.consent.granted}. */
    String name();

    /** The revision of the payload's shape; a breaking change is a new revision with an upcaster. */
    int revision();
}
