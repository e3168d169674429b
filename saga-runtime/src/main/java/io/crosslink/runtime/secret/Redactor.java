package io.crosslink.runtime.secret;

import java.util.regex.Pattern;

/**
 * Removes secrets from text that leaves a service (error reasons in the timeline, log lines): Elastic errors
 * may echo the request, and the Cloud API echoes keystore bodies. Known secret values are replaced, and so
 * is anything shaped like an encoded API key or a {@code "value"} of a keystore body.
 */
public final class Redactor {
    public static final String REDACTED = "[redacted]";
    private static final Pattern KEYSTORE_VALUE = Pattern.compile("(\"value\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)((?:ApiKey|Basic|Bearer)\\s+)[A-Za-z0-9+/=._-]{8,}");
    /** Encoded API keys are base64 of "id:key": long unbroken base64 runs. */
    private static final Pattern LONG_BASE64 = Pattern.compile("[A-Za-z0-9+/]{40,}={0,2}");

    private Redactor() {
    }

    public static String redact(String text, String... secrets) {
        if (text == null) {
            return null;
        }
        String result = text;
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                result = result.replace(secret, REDACTED);
            }
        }
        result = KEYSTORE_VALUE.matcher(result).replaceAll("$1\"" + REDACTED + "\"");
        result = AUTH_HEADER.matcher(result).replaceAll("$1" + REDACTED);
        return LONG_BASE64.matcher(result).replaceAll(REDACTED);
    }
}
