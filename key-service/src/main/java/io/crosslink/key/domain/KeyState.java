package io.crosslink.key.domain;

/** Where an issued key stands. Compensation (issue #4) will move keys to INVALIDATED. */
public enum KeyState {
    ACTIVE,
    INVALIDATED
}
