package dev.shoal.controller.auth;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Credentials from an HTTP Basic header (RFC 7617, UTF-8). The password is a char array so callers can wipe it
 * once checked.
 */
public record BasicCredentials(String user, char[] password) {
    /** The user and password of an {@code Authorization: Basic} header; null when it is absent or malformed. */
    public static BasicCredentials parse(String header) {
        if (header == null || header.length() < 6 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(header.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(raw));
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        int colon = -1;
        for (int i = 0; i < chars.length(); i++) {
            if (chars.get(i) == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) {
            return null;
        }
        String u = chars.subSequence(0, colon).toString();
        char[] p = new char[chars.length() - colon - 1];
        chars.position(colon + 1);
        chars.get(p);
        return new BasicCredentials(u, p);
    }
}
