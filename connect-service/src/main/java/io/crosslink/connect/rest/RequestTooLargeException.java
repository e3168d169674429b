package io.crosslink.connect.rest;

/** A request body above the intake's limit: answered 413 problem+json, nothing read further, nothing stored. */
public class RequestTooLargeException extends RuntimeException {
    private final int limitBytes;

    public RequestTooLargeException(int limitBytes) {
        super("The request body is larger than " + limitBytes + " bytes.", null, false, false);
        this.limitBytes = limitBytes;
    }

    public int limitBytes() {
        return limitBytes;
    }
}
