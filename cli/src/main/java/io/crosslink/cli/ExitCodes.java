package io.crosslink.cli;

/**
 * What {@code crosslink} exits with (issue #15): scripts branch on these, so each means one thing. HTTP answers map
 * onto them in {@link ApiFailure#of}.
 */
public final class ExitCodes {
    /** Done: the connection is VERIFIED (or DISCONNECTED after a disconnect), or the call answered as asked. */
    public static final int OK = 0;
    /** The connection ended unverified (REJECTED, COMPENSATED, FAILED), or a wait's timeout passed first. */
    public static final int UNVERIFIED = 1;
    /** Bad input: a usage error, an unreadable file, or the API refused the request (400, 404, 409, 413). */
    public static final int BAD_INPUT = 2;
    /** Not authorized: no token, or the API answered 401 (token missing, expired, foreign) or 403 (role, policy). */
    public static final int NOT_AUTHORIZED = 3;
    /** Unreachable: connection refused, unknown host, timeout, 5xx, or an answer that is not the Crosslink API. */
    public static final int UNREACHABLE = 4;
    /** A bug in the CLI itself (sysexits' EX_SOFTWARE): it says so instead of printing a stack trace. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }
}
