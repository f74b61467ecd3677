#!/usr/bin/env python3
"""A static HTTP server for the export benchmark: answers each request whose path and query are in
DIR/index.tsv ("<path?query>\t<file>") with that file's bytes, anything else with 404. Pages are
read into memory first, so the reference downloads measure the transfer, not a generator.

Usage: serve_pages.py DIR PORT
"""
import http.server
import sys

directory, port = sys.argv[1], int(sys.argv[2])
pages = {}
with open(f"{directory}/index.tsv", encoding="utf-8") as index:
    for line in index:
        target, name = line.rstrip("\n").split("\t")
        with open(f"{directory}/{name}", "rb") as page:
            pages[target] = page.read()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = pages.get(self.path)
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
