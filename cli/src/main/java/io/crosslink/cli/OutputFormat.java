package io.crosslink.cli;

/** {@code --output}: text for people, json (the API's documents, pretty-printed) for scripts. */
public enum OutputFormat {
    TEXT,
    JSON
}
