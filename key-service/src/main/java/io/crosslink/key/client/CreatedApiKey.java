package io.crosslink.key.client;

/** What Elasticsearch answered to a create: {@code encoded} is the secret (base64 of "id:api_key"). */
public record CreatedApiKey(String id, String name, String encoded) {

    /** Never prints the encoded key, so a log line or an exception message cannot leak it. */
    @Override
    public String toString() {
        return "CreatedApiKey[id=" + id + ", name=" + name + "]";
    }
}
