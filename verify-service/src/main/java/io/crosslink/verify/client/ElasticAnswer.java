package io.crosslink.verify.client;

/** An HTTP answer of Elasticsearch: status and body (JSON, usually). */
public record ElasticAnswer(int status, String body) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
