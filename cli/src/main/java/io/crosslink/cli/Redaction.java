package io.crosslink.cli;

import java.util.regex.Pattern;

/**
 * Keeps bearer tokens out of what the CLI prints. Its own messages never include one, but a usage error quotes the
 * arguments it could not match ({@code --tokn eyJ...}), so every error text passes through here first.
 */
public final class Redaction {
    /** A JWS in compact form: three base64url parts, the header starting with {"alg" or {"typ" ("eyJ"). */
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*");

    private Redaction() {
    }

    /** {@code text} with every JWT replaced by {@code <token>}. */
    public static String redact(String text) {
        return text == null ? null : JWT.matcher(text).replaceAll("<token>");
    }
}
