#!/usr/bin/env python3
"""Pushes COUNT random blobs of SIZE bytes to a registry (POST, then PUT ?digest= with the body), then pulls each
back (GET, digest checked), over THREADS keep-alive connections with basic auth. Prints: push_seconds pull_seconds.
Usage: small_layers.py BASE_URL REPOSITORY USER PASSWORD [COUNT] [SIZE] [THREADS]"""
import base64
import hashlib
import http.client
import os
import sys
import threading
import time
from urllib.parse import urlsplit

base, repo, user, password = sys.argv[1:5]
count = int(sys.argv[5]) if len(sys.argv) > 5 else 200
size = int(sys.argv[6]) if len(sys.argv) > 6 else 64 * 1024
threads = int(sys.argv[7]) if len(sys.argv) > 7 else 4
u = urlsplit(base)
auth = {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}
blobs = [os.urandom(size) for _ in range(count)]
digests = ["sha256:" + hashlib.sha256(b).hexdigest() for b in blobs]
errors = []


def connection():
    return http.client.HTTPConnection(u.hostname, u.port, timeout=60)


def request(conn, method, path, body=None, headers=None, expect=(200,)):
    h = dict(auth)
    h.update(headers or {})
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    if r.status not in expect:
        raise RuntimeError(f"{method} {path}: HTTP {r.status} {data[:200]!r}")
    return r, data


def push(indices):
    conn = connection()
    try:
        for i in indices:
            r, _ = request(conn, "POST", f"/v2/{repo}/blobs/uploads/", b"", {"Content-Length": "0"}, (202,))
            loc = urlsplit(r.getheader("Location"))
            path = loc.path + "?" + (loc.query + "&" if loc.query else "") + "digest=" + digests[i]
            request(conn, "PUT", path, blobs[i], {"Content-Type": "application/octet-stream"}, (201,))
    except Exception as e:  # noqa: BLE001 - reported below, the run fails
        errors.append(e)
    finally:
        conn.close()


def pull(indices):
    conn = connection()
    try:
        for i in indices:
            _, data = request(conn, "GET", f"/v2/{repo}/blobs/{digests[i]}")
            if "sha256:" + hashlib.sha256(data).hexdigest() != digests[i]:
                raise RuntimeError(f"blob {digests[i]}: content does not match its digest")
    except Exception as e:  # noqa: BLE001
        errors.append(e)
    finally:
        conn.close()


def timed(work):
    parts = [range(t, count, threads) for t in range(threads)]
    ts = [threading.Thread(target=work, args=(p,)) for p in parts]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        sys.exit(f"small layers against {base}: {errors[0]}")
    return time.monotonic() - t0


push_s = timed(push)
pull_s = timed(pull)
print(f"{push_s:.2f} {pull_s:.2f}")
