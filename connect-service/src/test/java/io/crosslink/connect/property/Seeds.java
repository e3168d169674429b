package io.crosslink.connect.property;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The seed of the generated inputs: fixed, so a run is reproducible, unless {@code -Dcrosslink.property.seed=<long>}
 * names another (a failure prints the one it ran with).
 */
public final class Seeds {
    public static final String PROPERTY = "crosslink.property.seed";
    public static final String DEFAULT = "20260614";

    private Seeds() {
    }

    public static String seed() {
        String seed = System.getProperty(PROPERTY);
        return seed == null || seed.isBlank() ? DEFAULT : seed.trim();
    }

    /** Runs jqwik properties with {@link #seed()}: {@code @AddLifecycleHook(Seeds.Fixed.class)} on their class. */
    public static final class Fixed implements AroundPropertyHook {
        @Override
        public PropagationMode propagateTo() {
            return PropagationMode.ALL_DESCENDANTS;
        }

        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            context.attributes().setSeed(seed());
            return property.execute();
        }
    }
}
