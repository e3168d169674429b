package io.crosslink.connect.service;

public class ConnectionNotFoundException extends RuntimeException {
    public ConnectionNotFoundException(String id) {
        super("no connection " + id, null, false, false);
    }
}
