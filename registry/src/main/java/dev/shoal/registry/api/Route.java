package dev.shoal.registry.api;

import dev.shoal.registry.name.RepositoryName;

/** The distribution spec's endpoints, as recognised from a request path. */
sealed interface Route {
    record Base() implements Route {
    }

    record TagsList(RepositoryName name) implements Route {
    }

    /** {@code reference} is raw: a tag or a digest, parsed by the endpoint so each can answer its own error. */
    record Manifest(RepositoryName name, String reference) implements Route {
    }

    record UploadStart(RepositoryName name) implements Route {
    }

    /** The upload id lives in the path (never only in a query), so any client that follows Location keeps it. */
    record Upload(RepositoryName name, String id) implements Route {
    }

    record Blob(RepositoryName name, String digest) implements Route {
    }

    record Referrers(RepositoryName name, String digest) implements Route {
    }
}
