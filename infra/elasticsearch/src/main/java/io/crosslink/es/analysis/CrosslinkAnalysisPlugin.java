package io.crosslink.es.analysis;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

import java.util.Map;
import java.util.TreeMap;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Registers the analysis components that the {@code .security} index's {@code email} analyzer uses and that the
 * integ-test distribution lacks (they normally come with the {@code analysis-common} module, which is not
 * published on its own): token filters {@code pattern_capture}, {@code lowercase}, {@code unique} and the
 * tokenizer {@code uax_url_email}. All of them are thin wrappers around Lucene classes already in the node's
 * {@code lib/}.
 *
 * <p>The factories implement the analysis interfaces directly rather than extending the {@code Abstract*Factory}
 * classes, whose constructors changed in 9.0: one source compiles against every version of the matrix.
 */
public class CrosslinkAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> filters = new TreeMap<>();
        filters.put(PatternCaptureTokenFilterFactory.NAME, requiresAnalysisSettings(PatternCaptureTokenFilterFactory::new));
        filters.put(LowercaseTokenFilterFactory.NAME, LowercaseTokenFilterFactory::new);
        filters.put(UniqueTokenFilterFactory.NAME, UniqueTokenFilterFactory::new);
        return filters;
    }

    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of(UrlEmailTokenizerFactory.NAME, UrlEmailTokenizerFactory::new);
    }
}
