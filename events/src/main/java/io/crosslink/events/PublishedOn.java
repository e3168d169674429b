package io.crosslink.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The topic an event type is published on, declared with the type: part of the contract, never derived from the
 * class name. Each topic is written by one service ({@link Topics}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PublishedOn {
    String value();
}
