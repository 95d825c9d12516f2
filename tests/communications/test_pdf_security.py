"""WeasyPrint security (SECURITY.md "WeasyPrint", threat 9): hostile content in a letter makes the
renderer fetch nothing and embed nothing.

A loopback server on a free port counts connections; a secret file outside the letters folder
stands in for /etc/passwd; the fetcher's own list shows what it refused.
"""

from __future__ import annotations

import socket
import threading

import pytest

from communications.domain.texts import KINDS
from communications.pdf import LETTER_ASSETS, SafeFetcher, write_pdf
from communications.rendering import letter_content, letter_html, render_limited, sample_content
from tests.communications.test_rendering import normalise, pdf_text


class CountingServer:
    """A TCP listener on 127.0.0.1 that counts the connections it gets."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()


@pytest.fixture
def server():
    s = CountingServer()
    yield s
    s.close()


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-CANARY-7731", encoding="utf-8")
    return path


def hostile_html(server: CountingServer, secret) -> str:
    url = f"http://127.0.0.1:{server.port}"
    return f"""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="letter.css">
<link rel="stylesheet" href="{url}/remote.css">
<style>
@import url("{url}/import.css");
@import url("https://example.invalid/x.css");
body {{ background: url("{secret.as_uri()}"); }}
@font-face {{ font-family: X; src: url("{url}/font.ttf"); }}
</style></head><body>
<p>Brief</p>
<img src="file:///etc/passwd">
<img src="{secret.as_uri()}">
<img src="{url}/pixel.png">
<img src="fonts/../../../../../../etc/passwd">
<object data="{secret.as_uri()}"></object>
<iframe src="{url}/frame"></iframe>
<img src="data:text/html;base64,PGgxPmhpPC9oMT4=">
</body></html>"""


def test_fetcher_refuses_everything_but_the_letter_files(server, secret):
    fetcher = SafeFetcher()
    pdf = write_pdf(hostile_html(server, secret), fetcher=fetcher)
    assert server.connections == 0
    text = normalise(pdf_text(pdf))
    assert "TOPSECRET" not in text and "root:" not in text
    assert b"TOPSECRET" not in pdf
    # What it served: the stylesheet and the letter fonts it names.
    assert "letter.css" in fetcher.served
    assert all(name.endswith((".css", ".ttf")) for name in fetcher.served)
    refused = " ".join(fetcher.refused)
    assert f"127.0.0.1:{server.port}/remote.css" in refused
    assert secret.as_uri() in refused
    assert "file:///etc/passwd" in refused
    assert "data:text/html" in refused


def test_hostile_merge_values_are_text_not_markup(server, secret):
    kind = KINDS["schorsing_besluit"]
    url = f"http://127.0.0.1:{server.port}"
    values = kind.samples() | {
        "redenen": f'<img src="{secret.as_uri()}"><link rel=stylesheet href="{url}/x.css">',
        "onderwijsmaatregelen": f'<style>@import url("{url}/y.css");</style>',
        "leerling_naam": '"><script>alert(1)</script>',
    }
    content = letter_content(
        kind,
        "bijzonder",
        kind.snapshot(),
        values,
        recipient_lines=(f'<img src="{url}/addr.png">', "Straat 1"),
        letterhead=sample_content(kind, "bijzonder", concept=False).letterhead,
    )
    html = letter_html(content)
    assert "<img src=" not in html.split("<body", 1)[1]
    assert "<script>" not in html
    fetcher = SafeFetcher()
    pdf = write_pdf(html, fetcher=fetcher)
    assert server.connections == 0
    assert fetcher.refused == []  # nothing even tried: the values are text
    text = normalise(pdf_text(pdf))
    assert f'<img src="{secret.as_uri()}">' in text  # shown literally
    assert "TOPSECRET" not in text


def test_symlink_out_of_the_letters_folder_is_refused(tmp_path, secret):
    link = LETTER_ASSETS / f"lev-test-link-{tmp_path.name}.css"
    link.symlink_to(secret)
    try:
        fetcher = SafeFetcher()
        write_pdf(
            f'<html><head><link rel="stylesheet" href="{link.name}"></head><body>x</body></html>',
            fetcher=fetcher,
        )
        assert fetcher.served == []
        assert len(fetcher.refused) == 1
    finally:
        link.unlink()


def test_render_limited_produces_the_same_letter():
    kind = KINDS["timeout_melding"]
    html = letter_html(sample_content(kind, "bijzonder", concept=False))
    pdf = render_limited(html)
    assert normalise(pdf_text(pdf)) == normalise(pdf_text(write_pdf(html)))


def test_render_limited_stops_a_runaway_render():
    from communications.rendering import RenderError

    with pytest.raises(RenderError):
        render_limited("<html><body>" + "<p>x</p>" * 10 + "</body></html>", timeout=0.01)
