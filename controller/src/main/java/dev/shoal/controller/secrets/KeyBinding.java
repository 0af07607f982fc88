package dev.shoal.controller.secrets;

import org.jdbi.v3.core.Jdbi;

import java.util.Optional;

/**
 * Records which key a database's sealed columns were written with, so that starting with a different key
 * file (a restore that forgot keys/, a copied database) stops with a clear message instead of failing jobs later.
 */
public final class KeyBinding {
    private static final String NAME = "secret_key_fingerprint";

    private KeyBinding() {
    }

    public static void check(Jdbi jdbi, SecretBox box, java.nio.file.Path keyFile) {
        jdbi.useTransaction(h -> {
            Optional<String> bound = h.createQuery("SELECT value FROM controller_meta WHERE name = :n")
                    .bind("n", NAME).mapTo(String.class).findOne();
            if (bound.isEmpty()) {
                h.createUpdate("INSERT INTO controller_meta (name, value) VALUES (:n, :v)")
                        .bind("n", NAME).bind("v", box.fingerprint()).execute();
            } else if (!bound.get().equals(box.fingerprint())) {
                throw new IllegalStateException("the database was written with another secrets key (fingerprint "
                        + bound.get() + ") than " + keyFile + " (" + box.fingerprint() + "); restore the key file "
                        + "that belongs to this database (docs/operations.md, Backups)");
            }
        });
    }
}
