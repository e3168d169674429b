package io.crosslink.cloudsim.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file into a node's config folder so that the node can read it and never sees half of it: a temp file in
 * the same folder gets the permissions and the folder's owner and group (the node's OS user, which the launcher gives
 * the config folder; cloud-sim may run as root), then replaces the file in one atomic move.
 */
final class ConfigFolderWriter {
    private ConfigFolderWriter() {
    }

    /** World-readable (certificates). */
    static void writePublic(Path file, String content) throws IOException {
        write(file, content, "rw-r--r--");
    }

    /** Readable by the node's user only (private keys), as the launcher's {@code certs/node.key}. */
    static void writePrivate(Path file, String content) throws IOException {
        write(file, content, "rw-------");
    }

    private static void write(Path file, String content, String permissions) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(folder, "." + file.getFileName(), ".tmp");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString(permissions));
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            giveToFolderOwner(temp, folder);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Only changes what differs: a non-root cloud-sim owns the folder already and may not chown. */
    private static void giveToFolderOwner(Path file, Path folder) throws IOException {
        PosixFileAttributes wanted = Files.readAttributes(folder, PosixFileAttributes.class);
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        PosixFileAttributes current = view.readAttributes();
        if (!current.owner().equals(wanted.owner())) {
            view.setOwner(wanted.owner());
        }
        GroupPrincipal group = wanted.group();
        if (!current.group().equals(group)) {
            view.setGroup(group);
        }
    }
}
