"""A tiny sentence-segmentation service: loads the model folder's config and card, answers POST /segment."""
import json
import os
import re
from http.server import BaseHTTPRequestHandler, HTTPServer

MODEL_DIR = os.environ.get("MODEL_DIR", "/models/wtp-bert-tiny")


def load_model(path):
    with open(os.path.join(path, "config.json"), encoding="utf-8") as f:
        return json.load(f)


CONFIG = load_model(MODEL_DIR)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._send(200, {"model": MODEL_DIR, "model_type": CONFIG.get("model_type")})

    def do_POST(self):
        if self.path != "/segment":
            self._send(404, {"error": "not found"})
            return
        text = self.rfile.read(int(self.headers.get("content-length", "0"))).decode("utf-8")
        self._send(200, {"sentences": [s for s in re.split(r"(?<=[.!?])\s+", text) if s]})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    HTTPServer(("0.0.0.0", int(os.environ.get("PORT", "8080"))), Handler).serve_forever()
