package io.crosslink.connect.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.regex.Pattern;

/**
 * Serves the events module's AsyncAPI document of every Kafka topic at {@code /asyncapi.yaml}, next to the OpenAPI
 * document: on the API port, without a token (a Vert.x route, as {@code /q/openapi}). Its payloads are relative
 * {@code $ref}s ({@code ./schemas/<name>.schema.json}), so the generated JSON Schemas are served at
 * {@code /schemas/<name>.schema.json} too: a tool given the URL resolves them. Both straight from the events jar on the
 * class path, never copied.
 */
@Singleton
public class AsyncApiRoutes {
    static final String DOCUMENT = "/asyncapi.yaml";
    static final String SCHEMAS = "/schemas/";
    /** A schema file name and nothing else: no path of another resource can be asked for. */
    private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*\\.schema\\.json");

    void register(@Observes Router router) {
        router.get(DOCUMENT).blockingHandler(ctx -> serve(ctx, "asyncapi.yaml", "application/yaml"));
        router.get(SCHEMAS + ":name").blockingHandler(ctx -> {
            String name = ctx.pathParam("name");
            if (!SCHEMA_NAME.matcher(name).matches()) {
                ctx.response().setStatusCode(404).end();
                return;
            }
            serve(ctx, "schemas/" + name, "application/schema+json");
        });
    }

    private static void serve(RoutingContext ctx, String resource, String contentType) {
        byte[] body = read(resource);
        if (body == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        ctx.response().putHeader("Content-Type", contentType).end(Buffer.buffer(body));
    }

    private static byte[] read(String resource) {
        try (InputStream in = AsyncApiRoutes.class.getClassLoader().getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
