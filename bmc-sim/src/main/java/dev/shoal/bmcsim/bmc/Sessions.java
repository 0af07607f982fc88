package dev.shoal.bmcsim.bmc;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Redfish sessions of one BMC: a random token per login, valid until deleted or expired by a fault. */
final class Sessions {
    record Session(String id, String token, String user, Instant created) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Session> byId = new ConcurrentHashMap<>();

    Session create(String user) {
        Session s = new Session(hex(8), hex(16), user, Instant.now());
        byId.put(s.id(), s);
        return s;
    }

    Optional<Session> byToken(String token) {
        return byId.values().stream().filter(s -> s.token().equals(token)).findFirst();
    }

    Optional<Session> byId(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    boolean delete(String id) {
        return byId.remove(id) != null;
    }

    void clear() {
        byId.clear();
    }

    int count() {
        return byId.size();
    }

    List<Session> all() {
        return byId.values().stream().sorted(java.util.Comparator.comparing(Session::created)).toList();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
