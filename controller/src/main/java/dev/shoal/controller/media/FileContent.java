package dev.shoal.controller.media;

import org.eclipse.jetty.http.CompressedContentFormat;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.http.content.HttpContent;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.IOResources;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.Resource;

import java.net.URI;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One regular file as Jetty's {@link org.eclipse.jetty.server.ResourceService} wants it, described by the
 * {@code lstat} {@link FileServer} already made to confine it. Jetty's own {@code PathResource} asks the filesystem
 * again on every call ({@code exists}, {@code isDirectory}, {@code length}, {@code lastModified}), which cost more
 * than reading the 64 KiB a BMC asks for. Made per request from a fresh stat, and the file's mapping is looked up by
 * that stat (size, time, inode), so a replaced ISO is served as it is now, never from a stale mapping.
 */
final class FileContent implements HttpContent {
    /**
     * Ranges up to this size are written from the file's mapping in one go (BMCs read 64 KiB to a few MiB at a time);
     * longer answers, like a whole ISO, are read through the pooled buffer instead of one huge write.
     */
    static final long MAX_MAPPED_WRITE = 8L << 20;
    private final Snapshot resource;
    private final HttpField contentType;
    private final HttpField lastModified;
    private final HttpField etag;
    private final HttpField contentLength;
    private final ByteBufferPool.Sized buffers;
    private final MappedFiles mappings;
    private final BasicFileAttributes attrs;

    FileContent(Path file, BasicFileAttributes attrs, String contentType, ByteBufferPool.Sized buffers, MappedFiles mappings) {
        this.mappings = mappings;
        this.attrs = attrs;
        this.resource = new Snapshot(file, attrs);
        this.contentType = new HttpField(HttpHeader.CONTENT_TYPE, contentType);
        this.lastModified = new HttpField(HttpHeader.LAST_MODIFIED, DateGenerator.formatDate(resource.modified));
        this.etag = new HttpField(HttpHeader.ETAG, etag(attrs));
        this.contentLength = new HttpField.LongValueHttpField(HttpHeader.CONTENT_LENGTH, attrs.size());
        this.buffers = buffers;
    }

    /**
     * Weak, from size, modification time (ns) and file identity (device and inode on Linux): an ISO replaced by a
     * rename gets a new inode, so a new ETag even when a copy kept its size and time. No '-' in it: Jetty's
     * conditional-request code cuts an ETag at its last '-' (where it expects a "--gzip" style suffix), after which
     * If-None-Match would never match.
     */
    static String etag(BasicFileAttributes attrs) {
        long modified = attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        return "W/\"" + Long.toHexString(attrs.size()) + "." + Long.toHexString(modified) + "."
                + Integer.toHexString(Objects.hashCode(attrs.fileKey())) + "\"";
    }

    @Override
    public HttpField getContentType() {
        return contentType;
    }

    @Override
    public HttpField getContentEncoding() {
        return null;
    }

    @Override
    public String getCharacterEncoding() {
        return MimeTypes.getCharsetFromContentType(contentType.getValue());
    }

    @Override
    public MimeTypes.Type getMimeType() {
        return MimeTypes.CACHE.get(contentType.getValue());
    }

    @Override
    public Instant getLastModifiedInstant() {
        return resource.modified;
    }

    @Override
    public HttpField getLastModified() {
        return lastModified;
    }

    @Override
    public HttpField getETag() {
        return etag;
    }

    @Override
    public HttpField getContentLength() {
        return contentLength;
    }

    @Override
    public long getContentLengthValue() {
        return resource.size;
    }

    @Override
    public Resource getResource() {
        return resource;
    }

    @Override
    public void writeTo(Content.Sink sink, long offset, long length, Callback callback) {
        long len = length < 0 ? resource.size - offset : length;
        Optional<MappedFiles.Use> mapped = len > 0 && len <= MAX_MAPPED_WRITE ? mappings.use(resource.path, attrs) : Optional.empty();
        if (mapped.isPresent()) {
            MappedFiles.Use use = mapped.get();
            try {
                sink.write(true, use.slice(offset, (int) len), Callback.from(use::close, callback));
            } catch (Throwable x) {
                use.close();
                callback.failed(x);
            }
            return;
        }
        try {
            IOResources.copy(resource, sink, buffers, offset, length, callback);
        } catch (Throwable x) {
            callback.failed(x);
        }
    }

    @Override
    public Set<CompressedContentFormat> getPreCompressedContentFormats() {
        return null;
    }

    /** A regular file as of one stat; {@link IOResources#copy} opens it by {@link #getPath()}. */
    private static final class Snapshot extends Resource {
        private final Path path;
        private final long size;
        private final Instant modified;

        Snapshot(Path path, BasicFileAttributes attrs) {
            this.path = path;
            this.size = attrs.size();
            this.modified = attrs.lastModifiedTime().toInstant();
        }

        @Override
        public Path getPath() {
            return path;
        }

        @Override
        public boolean exists() {
            return true;
        }

        @Override
        public boolean isDirectory() {
            return false;
        }

        @Override
        public boolean isReadable() {
            return true;
        }

        @Override
        public Instant lastModified() {
            return modified;
        }

        @Override
        public long length() {
            return size;
        }

        @Override
        public URI getURI() {
            return path.toUri();
        }

        @Override
        public String getName() {
            return path.toString();
        }

        @Override
        public String getFileName() {
            Path name = path.getFileName();
            return name == null ? "" : name.toString();
        }

        @Override
        public Resource resolve(String subUriPath) {
            return null; // a file has nothing below it
        }

        @Override
        public boolean isAlias() {
            return false; // FileServer has confined the path
        }

        @Override
        public URI getRealURI() {
            return getURI();
        }
    }
}
