"""The letter renderer as a separate process with limits: `python -m communications.render_worker`.

Reads a JSON object on stdin: {"html": ..., "variant": ...} writes that one PDF to stdout;
{"batch": [html, ...], "variant": ...} writes each PDF as an 8-byte big-endian length followed
by the PDF, in order (the stylesheet and fonts are loaded once for the whole batch). The
parent (`communications.rendering.render_limited`) sets CPU-time and address-space limits on this
process before it starts and a wall-clock timeout around it, so a hostile or huge letter cannot
hang or exhaust the job runner (SECURITY.md, "WeasyPrint"). Imports no Django.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from communications.pdf import write_pdf

    request = json.load(sys.stdin)
    out = sys.stdout.buffer
    if "batch" in request:
        for html in request["batch"]:
            pdf = write_pdf(html, variant=request.get("variant"))
            out.write(len(pdf).to_bytes(8, "big"))
            out.write(pdf)
            out.flush()  # the parent stores each letter as soon as it is made
    else:
        out.write(write_pdf(request["html"], variant=request.get("variant")))
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
