package io.crosslink.e2e.support;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives every test class the one {@link E2eStack} of the test run: started by the first class that needs it,
 * kept in the root context's store, and stopped (it is AutoCloseable) when the whole run ends. A stack that
 * failed to start fails every later class at once with the same cause instead of starting again.
 */
public final class E2eStackExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(E2eStackExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == E2eStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    private static E2eStack stack(ExtensionContext context) {
        Started started = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Started.class, key -> Started.start(), Started.class);
        if (started.failure != null) {
            throw new IllegalStateException("the e2e stack did not start: " + started.failure.getMessage(), started.failure);
        }
        return started.stack;
    }

    /** The stack, or why it did not start. */
    private static final class Started implements AutoCloseable {
        private final E2eStack stack;
        private final RuntimeException failure;

        private Started(E2eStack stack, RuntimeException failure) {
            this.stack = stack;
            this.failure = failure;
        }

        static Started start() {
            try {
                return new Started(E2eStack.start(), null);
            } catch (RuntimeException e) {
                return new Started(null, e);
            }
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }
}
