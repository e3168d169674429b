package io.crosslink.key.domain;

/** Where an issued key stands: compensation (the undo chain) moves it to INVALIDATED. */
public enum KeyState {
    ACTIVE,
    INVALIDATED
}
