package io.crosslink.connect.client;

/** What Elastic answered: status and body (bodies never carry secrets of ours; they are redacted anyway before leaving). */
public record HttpAnswer(int status, String body) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
