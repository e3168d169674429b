package io.crosslink.connect.service;

/** Fired when a transaction schedules background work; the worker wakes once it commits. */
public record WorkQueued() {
}
