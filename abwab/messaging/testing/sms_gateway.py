"""A JSON SMS gateway on loopback, for the HTTP adapter's tests: it checks the Basic credentials,
records each posted part and answers `{"id": …}`, or the errors it is told to answer next."""

import base64
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"

    def log_message(self, *args):  # quiet
        return

    def _answer(self, status: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):  # noqa: N802 (http.server's name)
        gateway = self.server.gateway
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        token = base64.b64encode(f"{gateway.username}:{gateway.password}".encode()).decode()
        if self.headers.get("Authorization") != f"Basic {token}":
            self._answer(401, {"error": "unauthorised"})
            return
        with gateway.lock:
            if gateway.errors:
                status, headers = gateway.errors.pop(0)
                self._answer(status, {"error": "as told"}, headers)
                return
            body["id"] = f"gw-{next(gateway.ids)}"
            gateway.posted.append(body)
        self._answer(200, {"id": body["id"]})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    gateway: "LoopbackGateway"


class LoopbackGateway:
    def __init__(self, *, username: str = "abwab", password: str = "gw-secret"):  # noqa: S107
        self.username, self.password = username, password
        self.posted: list[dict] = []
        self.errors: list[tuple[int, dict]] = []  # (status, headers) to answer next, in order
        self.ids = itertools.count(1)
        self.lock = threading.Lock()
        self._server: _Server | None = None

    def __enter__(self) -> "LoopbackGateway":
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.gateway = self
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://{self.username}:{self.password}@127.0.0.1:{port}/api/sms?source=Abwab"

    def texts(self) -> list[str]:
        """The messages as a phone would join them: parts grouped by their header's reference."""
        groups: dict[tuple, dict[int, str]] = {}
        singles = []
        for post in self.posted:
            if not post["udh"]:
                singles.append(post["text"])
                continue
            header = bytes.fromhex(post["udh"])
            groups.setdefault((post["to"], header[3]), {})[header[5]] = post["text"]
        return singles + ["".join(parts[k] for k in sorted(parts)) for parts in groups.values()]
