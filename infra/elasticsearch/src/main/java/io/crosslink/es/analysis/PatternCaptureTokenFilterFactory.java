package io.crosslink.es.analysis;

import java.util.List;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/** {@code pattern_capture}: one token per capture group of each of {@code patterns}; {@code preserve_original} (default true). */
final class PatternCaptureTokenFilterFactory implements TokenFilterFactory {
    static final String NAME = "pattern_capture";

    private final String name;
    private final Pattern[] patterns;
    private final boolean preserveOriginal;

    PatternCaptureTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        this.name = name;
        List<String> regexes = settings.getAsList("patterns");
        if (regexes.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] token filter [" + name + "] requires a non-empty [patterns] setting");
        }
        this.patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
        this.preserveOriginal = settings.getAsBoolean("preserve_original", true);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new PatternCaptureGroupTokenFilter(tokenStream, preserveOriginal, patterns);
    }

    @Override
    public String name() {
        return name;
    }
}
