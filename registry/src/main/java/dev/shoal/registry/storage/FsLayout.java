package dev.shoal.registry.storage;

import dev.shoal.registry.digest.Digest;
import dev.shoal.registry.name.RepositoryName;
import dev.shoal.registry.name.Tag;

import java.nio.file.Path;

/**
 * Where things live under the store's root. Every path is built from validated values only (digest hex, repository
 * name grammar, tag grammar, UUID), so none can climb out of the root.
 *
 * <pre>
 * blobs/{alg}/{hex}                                   content, verified before it appears
 * uploads/{uuid}/data, uploads/{uuid}/repository      uploads in progress
 * repos/{name}/_layers/{alg}/{hex}                    blobs the repository received or mounted
 * repos/{name}/_manifests/revisions/{alg}/{hex}       manifests of the repository (media type, subject)
 * repos/{name}/_manifests/tags/{tag}                  the digest the tag points at
 * repos/{name}/_referrers/{alg}/{hex}/{alg}-{hex}     descriptor of a manifest whose subject is the first digest
 * </pre>
 */
record FsLayout(Path root) {
    FsLayout {
        root = root.toAbsolutePath().normalize();
    }

    Path blobs() {
        return root.resolve("blobs");
    }

    Path uploads() {
        return root.resolve("uploads");
    }

    Path repos() {
        return root.resolve("repos");
    }

    Path blob(Digest d) {
        return blobs().resolve(d.algorithm().id()).resolve(d.hex());
    }

    Path upload(String uuid) {
        return uploads().resolve(uuid);
    }

    Path uploadData(String uuid) {
        return upload(uuid).resolve("data");
    }

    Path uploadRepository(String uuid) {
        return upload(uuid).resolve("repository");
    }

    Path repo(RepositoryName name) {
        return repos().resolve(name.value());
    }

    Path layerLink(RepositoryName name, Digest d) {
        return repo(name).resolve("_layers").resolve(d.algorithm().id()).resolve(d.hex());
    }

    Path revision(RepositoryName name, Digest d) {
        return repo(name).resolve("_manifests").resolve("revisions").resolve(d.algorithm().id()).resolve(d.hex());
    }

    Path tags(RepositoryName name) {
        return repo(name).resolve("_manifests").resolve("tags");
    }

    Path tag(RepositoryName name, Tag tag) {
        return tags(name).resolve(tag.value());
    }

    Path referrers(RepositoryName name, Digest subject) {
        return repo(name).resolve("_referrers").resolve(subject.algorithm().id()).resolve(subject.hex());
    }

    Path referrer(RepositoryName name, Digest subject, Digest referrer) {
        return referrers(name, subject).resolve(referrer.algorithm().id() + "-" + referrer.hex());
    }
}
