"""A webhook receiver for the tests: a real HTTP server (Python's standard library)
that checks each request's signature with Python's own hmac — an implementation
independent of the server's — prints one JSON line per request, and answers 500 to
the first FAIL_FIRST requests so that retries are exercised.

Usage: webhook_receiver.py PORT SECRET FAIL_FIRST
"""
import hashlib
import hmac
import http.server
import json
import sys

port, secret, fail_first = int(sys.argv[1]), sys.argv[2].encode(), int(sys.argv[3])
received = 0


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global received
        body = self.rfile.read(int(self.headers["Content-Length"]))
        timestamp = self.headers.get("X-Sotong-Timestamp", "")
        expected = "sha256=" + hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        received += 1
        status = 500 if received <= fail_first else 200
        print(json.dumps({
            "status": status,
            "signature_ok": hmac.compare_digest(expected, self.headers.get("X-Sotong-Signature", "")),
            "content_type": self.headers.get("Content-Type"),
            "event": self.headers.get("X-Sotong-Event"),
            "delivery": self.headers.get("X-Sotong-Delivery"),
            "body": json.loads(body),
        }, ensure_ascii=False), flush=True)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Receiver).serve_forever()
