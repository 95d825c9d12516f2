"""The letter renderer as a separate process with limits: `python -m communications.render_worker`.

Reads a JSON object {"html": ..., "variant": ...} on stdin and writes the PDF to stdout. The
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
    pdf = write_pdf(request["html"], variant=request.get("variant"))
    sys.stdout.buffer.write(pdf)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
