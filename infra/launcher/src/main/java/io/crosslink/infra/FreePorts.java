package io.crosslink.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Free TCP ports for servers that need their port before they start. A port is free when it was picked,
 * not when the server binds it: keep the time in between short. Ports handed out by this JVM are never
 * handed out again, so servers started in parallel do not get the same port.
 */
public final class FreePorts {
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private FreePorts() {
    }

    /** One free port on the given host address (e.g. "127.0.0.1"; "0.0.0.0" for all interfaces). */
    public static int pick(String host) {
        return pick(host, 1)[0];
    }

    /** {@code count} distinct free ports on the given host address. */
    public static int[] pick(String host, int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            InetAddress address = InetAddress.getByName(host);
            int[] ports = new int[count];
            synchronized (HANDED_OUT) {
                int found = 0;
                for (int attempt = 0; found < count && attempt < count + 50; attempt++) {
                    ServerSocket socket = new ServerSocket(0, 1, address);
                    sockets.add(socket);
                    if (HANDED_OUT.add(socket.getLocalPort())) {
                        ports[found++] = socket.getLocalPort();
                    }
                }
                if (found < count) {
                    throw new IllegalStateException("cannot find " + count + " free ports on " + host);
                }
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to do
                }
            }
        }
    }
}
