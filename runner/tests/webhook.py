"""A webhook receiver on 127.0.0.1 (a thread, a free port) that records what it is sent."""
from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

# what a webhook URL hides in its path: it must never show up anywhere but in the request itself
TOKEN = "T0SECRET/B0SECRET/xoxSECRETTOKEN42"


@dataclass
class Received:
    path: str
    content_type: str
    body: dict[str, Any]


@dataclass
class Webhook:
    port: int
    received: list[Received] = field(default_factory=list)
    status: int = 200      # the answer to every POST
    delay: float = 0.0     # seconds before answering

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/services/{TOKEN}"


@pytest.fixture
def webhook():
    hook = Webhook(0)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"null")
            hook.received.append(Received(self.path, self.headers.get("Content-Type", ""), body))
            time.sleep(hook.delay)
            try:
                self.send_response(hook.status)
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # the client gave up waiting (the timeout test)
                pass

        def log_message(self, *args: Any) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_url():
    """A URL on a port nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/services/{TOKEN}"
