package io.crosslink.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds the caller's bearer token: {@code --token}, else {@code --token-file}, else the environment
 * ({@code CROSSLINK_TOKEN}, then {@code CROSSLINK_TOKEN_FILE}). Its value is never part of a message: errors name
 * where it came from, not what it is.
 */
final class BearerToken {
    static final String TOKEN_VARIABLE = "CROSSLINK_TOKEN";
    static final String TOKEN_FILE_VARIABLE = "CROSSLINK_TOKEN_FILE";
    /** RFC 6750's b64token; anything else cannot go into an Authorization header (and is no token). */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");
    /** A token is a few KiB at most; a larger file is the wrong file. */
    private static final long MAX_FILE_BYTES = 64 * 1024;

    private BearerToken() {
    }

    /** The token to send; {@link ExitCodes#NOT_AUTHORIZED} when none is given, {@link ExitCodes#BAD_INPUT} when unusable. */
    static String resolve(String tokenOption, Path tokenFileOption, Map<String, String> environment) {
        if (tokenOption != null && tokenFileOption != null) {
            throw CliFailure.badInput("give either --token or --token-file, not both");
        }
        if (tokenOption != null) {
            return checked(tokenOption.strip(), "--token");
        }
        if (tokenFileOption != null) {
            return fromFile(tokenFileOption, "--token-file");
        }
        String fromEnvironment = environment.get(TOKEN_VARIABLE);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return checked(fromEnvironment.strip(), TOKEN_VARIABLE);
        }
        String file = environment.get(TOKEN_FILE_VARIABLE);
        if (file != null && !file.isBlank()) {
            return fromFile(Path.of(file.strip()), TOKEN_FILE_VARIABLE);
        }
        throw new CliFailure(ExitCodes.NOT_AUTHORIZED, "no bearer token: give --token-file FILE (or --token, or set "
                + TOKEN_FILE_VARIABLE + " or " + TOKEN_VARIABLE + ")");
    }

    private static String fromFile(Path file, String source) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw CliFailure.badInput("the token file " + file + " (" + source + ") is larger than "
                        + MAX_FILE_BYTES / 1024 + " KiB: not a token");
            }
            return checked(Files.readString(file, StandardCharsets.US_ASCII).strip(), source + " " + file);
        } catch (NoSuchFileException e) {
            throw CliFailure.badInput("the token file " + file + " (" + source + ") does not exist");
        } catch (IOException e) {
            // The exception's own message is safe (it names the file), but a decoding error may quote the content.
            throw CliFailure.badInput("cannot read the token file " + file + " (" + source + "): "
                    + e.getClass().getSimpleName());
        }
    }

    private static String checked(String token, String source) {
        if (token.isEmpty()) {
            throw new CliFailure(ExitCodes.NOT_AUTHORIZED, "the bearer token from " + source + " is empty");
        }
        if (!B64TOKEN.matcher(token).matches()) {
            throw CliFailure.badInput("the bearer token from " + source + " has characters no bearer token has");
        }
        return token;
    }
}
