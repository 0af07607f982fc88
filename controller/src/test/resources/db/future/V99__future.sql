-- A migration only a newer Shoal would have. MigrationsTest applies it through an extra location to stand
-- for "a newer binary migrated this database"; this build must then refuse the database, changing nothing.
CREATE TABLE future_feature (
    id   INTEGER NOT NULL PRIMARY KEY,
    note TEXT    NOT NULL
);
INSERT INTO future_feature (id, note) VALUES (1, 'written by Shoal schema 99');
