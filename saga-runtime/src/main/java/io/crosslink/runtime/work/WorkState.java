package io.crosslink.runtime.work;

/** PENDING until its handler says DONE; CANCELLED when what asked for it no longer wants it. */
public enum WorkState {
    PENDING,
    DONE,
    CANCELLED
}
