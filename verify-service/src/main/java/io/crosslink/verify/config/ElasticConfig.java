package io.crosslink.verify.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** HTTP timeouts towards Elasticsearch: {@code crosslink.elastic.*}. */
@ConfigMapping(prefix = "crosslink.elastic")
public interface ElasticConfig {

    @WithDefault("5s")
    Duration connectTimeout();

    /** One HTTP request to Elasticsearch. */
    @WithDefault("15s")
    Duration requestTimeout();
}
