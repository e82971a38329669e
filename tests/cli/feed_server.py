#!/usr/bin/env python3
"""A loopback HTTP server for the feed-fetching tests (tests/cli/feeds.sh).

Usage: feed_server.py FIXTURE_DIR PORT_FILE LOG_FILE
Binds 127.0.0.1 on a free port, writes the port to PORT_FILE, and logs one
line per request ("GET /path STATUS") to LOG_FILE. Routes:
  /feed.xml   rss2.xml with ETag "v1"; 304 when If-None-Match is "v1"
  /dated.xml  atom.xml with Last-Modified; 304 when If-Modified-Since matches
  /moved      302 to /feed.xml
  /missing    404
  /loop       302 to itself, forever
  /slow       waits 5 s before answering
  /big        a 3 MiB body
It exits on SIGTERM, or by itself after 120 s so a broken test cannot leave it behind.
"""
import http.server
import os
import sys
import threading
import time

FIX, PORT_FILE, LOG = sys.argv[1], sys.argv[2], sys.argv[3]
LAST_MODIFIED = "Mon, 04 Mar 2024 10:00:00 GMT"


def fixture(name):
    with open(os.path.join(FIX, name), "rb") as f:
        return f.read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, status, body=b"", headers=()):
        with open(LOG, "a") as log:
            log.write("GET %s %d\n" % (self.path, status))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_GET(self):
        p = self.path
        if p == "/feed.xml":
            if self.headers.get("If-None-Match") == '"v1"':
                return self.reply(304, headers=[("ETag", '"v1"')])
            return self.reply(200, fixture("rss2.xml"),
                              [("ETag", '"v1"'), ("Content-Type", "application/rss+xml")])
        if p == "/dated.xml":
            if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
                return self.reply(304)
            return self.reply(200, fixture("atom.xml"), [("Last-Modified", LAST_MODIFIED)])
        if p == "/moved":
            return self.reply(302, headers=[("Location", "/feed.xml")])
        if p == "/loop":
            return self.reply(302, headers=[("Location", "/loop")])
        if p == "/slow":
            time.sleep(5)
            return self.reply(200, fixture("rss2.xml"))
        if p == "/big":
            return self.reply(200, b"<rss>" + b"x" * (3 << 20) + b"</rss>")
        return self.reply(404, b"not found")


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
with open(PORT_FILE + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(PORT_FILE + ".tmp", PORT_FILE)
threading.Timer(120, server.shutdown).start()
server.serve_forever()
