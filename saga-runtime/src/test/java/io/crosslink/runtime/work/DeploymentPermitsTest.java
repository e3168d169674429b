package io.crosslink.runtime.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DeploymentPermitsTest {

    private static TreeSet<String> of(String... deployments) {
        return new TreeSet<>(java.util.List.of(deployments));
    }

    @Test
    void aDeploymentGetsAtMostItsShare() {
        DeploymentPermits permits = new DeploymentPermits(8, 2);
        assertTrue(permits.tryAcquire(of("ece/x")));
        assertTrue(permits.tryAcquire(of("ece/x")));
        assertFalse(permits.tryAcquire(of("ece/x")), "a third item on x waits");
        assertTrue(permits.tryAcquire(of("ece/y")), "y still has its share");
        assertEquals(3, permits.running());
    }

    @Test
    void allOrNothing() {
        DeploymentPermits permits = new DeploymentPermits(8, 1);
        assertTrue(permits.tryAcquire(of("ece/b")));
        assertFalse(permits.tryAcquire(of("ece/a", "ece/b")), "b is taken");
        assertEquals(0, permits.inUse("ece/a"), "a is not kept when b is refused");
        assertEquals(1, permits.running());
    }

    @Test
    void theTotalBoundsEverything() {
        DeploymentPermits permits = new DeploymentPermits(2, 2);
        assertTrue(permits.tryAcquire(of("ece/a")));
        assertTrue(permits.tryAcquire(of("ece/b")));
        assertTrue(permits.full());
        assertFalse(permits.tryAcquire(of("ece/c")));
        permits.release(of("ece/a"));
        assertFalse(permits.full());
        assertEquals(0, permits.inUse("ece/a"));
        assertTrue(permits.tryAcquire(of("ece/c")));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new DeploymentPermits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new DeploymentPermits(1, 0));
    }
}
