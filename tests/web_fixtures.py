"""Web test helpers: a small extra corpus (dated documents, hostile markup) beside the seeds."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from search.sync import build_index

from .conftest import CORPUS, SEED_IDS

SCRIPT = "<script>alert(1)</script>"
XSS_TEXT_ID = "xss_briefing.txt"
XSS_HTML_ID = "xss_statement.html"
SUBFOLDER_ID = "briefings/2016_august.txt"

EXTRA_DOCUMENTS = {
    "2015_january.txt": """Ceasefire talks resume in Geneva

January 10, 2015

"We welcome the resumption of ceasefire talks in Geneva," said Jen Psaki,
the State Department spokesperson.

Diplomats from the United Nations said the ceasefire monitoring mission would expand.
""",
    "2016_march.txt": """Envoy presses for humanitarian access

March 3, 2016

"The ceasefire must hold so that aid convoys can reach besieged towns,"
said Staffan de Mistura, the United Nations special envoy.

Aid agencies said the convoys were delayed again at checkpoints.

"We are watching the ceasefire closely," said John Kirby, the State Department spokesperson.
""",
    SUBFOLDER_ID: """Briefing on the cessation of hostilities

August 19, 2016

"The ceasefire has frayed badly around Aleppo," said John Kirby, the State Department spokesperson.

"Humanitarian pauses are not enough," said Staffan de Mistura, the United Nations special envoy.
""",
    XSS_TEXT_ID: f"""Briefing on hostile payloads

June 2, 2019

"Pages must never run {SCRIPT} from a document," said Heather Nauert,
the State Department spokesperson.

The payload {SCRIPT} appeared in a transcript about the ceasefire.
""",
    XSS_HTML_ID: """<!doctype html>
<html><head><meta charset="utf-8">
<title>Statement &lt;script&gt;alert(1)&lt;/script&gt; on markup</title></head>
<body><article>
<h1>Statement &lt;script&gt;alert(1)&lt;/script&gt; on markup</h1>
<p><time datetime="2018-03-04">March 4, 2018</time></p>
<p>"Escaped markup such as &lt;script&gt;alert(1)&lt;/script&gt; must stay text,"
said Heather Nauert, the State Department spokesperson.</p>
<p>The ceasefire statement was published with &lt;b&gt;bold&lt;/b&gt; markup as plain text.</p>
</article></body></html>
""",
}


def write_web_corpus(folder: Path) -> Path:
    """The two seeds plus the extra documents, written into folder."""
    for name in SEED_IDS:
        shutil.copy(CORPUS / name, folder / name)
    for name, text in EXTRA_DOCUMENTS.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def build_web_index(tmp_path_factory) -> Path:
    """Index the web corpus into a fresh temporary directory."""
    corpus = write_web_corpus(tmp_path_factory.mktemp("web-corpus"))
    index_dir = tmp_path_factory.mktemp("web-index")
    build_index([corpus], index_dir)
    return index_dir


@contextmanager
def live_server(app) -> Iterator[str]:
    """Serve app with waitress on a free loopback port in a thread; yields the base URL."""
    from waitress.server import create_server

    from web import SERVER_OPTIONS

    server = create_server(app, host="127.0.0.1", port=0, threads=4, asyncore_use_poll=True,
                           **SERVER_OPTIONS)
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
