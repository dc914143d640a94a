"""How long reading a long Word document takes: ``bench/run.py --only docx``.

A 200-page .docx is built with python-docx (headings, paragraphs, bullet lists, a
table and a picture every few pages, about 500 words a page) and read by
``lessons.importing.parse_file`` (mammoth, then the HTML and Markdown readers),
then checked by ``lessons.media`` (Pillow). The goal: under 10 seconds.
"""

import io
import time

from bench.core import Context, Table, benchmark, median

PAGES = 200
GOAL_SECONDS = 10.0
_SENTENCE = (
    "Soil holds water, air and the minerals that plants need, and its texture "
    "decides how fast each of them moves through it. "
)


def build_docx(pages: int = PAGES) -> bytes:
    """A Word document of about ``pages`` pages."""
    import docx
    from PIL import Image

    picture = io.BytesIO()
    Image.new("RGB", (640, 360), (120, 90, 40)).save(picture, "PNG")
    document = docx.Document()
    document.add_paragraph("A long soil course", style="Title")
    for page in range(1, pages + 1):
        if page % 5 == 1:
            document.add_heading(f"Part {page // 5 + 1}", level=1)
        document.add_heading(f"Topic {page}", level=2)
        for _ in range(3):
            document.add_paragraph(_SENTENCE * 5)
        for item in range(4):
            document.add_paragraph(
                f"Point {item} of topic {page}.", style="List Bullet"
            )
        if page % 4 == 0:
            table = document.add_table(rows=4, cols=3)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = "6.5 pH"
        if page % 10 == 0:
            document.add_picture(io.BytesIO(picture.getvalue()))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@benchmark("docx", title=f"Reading a {PAGES}-page Word document", order=22)
def docx_read(ctx: Context) -> Table:
    ctx.django()  # settings for lessons.media
    from lessons.importing import parse_file
    from lessons.media import document_images_check

    data = build_docx()
    table = Table(
        "parse_file + image checks, in process (seconds)",
        ["document", "size", "modules / lessons", "images", "runs", "median",
         "goal"],
    )  # fmt: skip
    runs, parsed = [], None
    for _ in range(ctx.pick(3, 1)):
        start = time.perf_counter()
        parsed = document_images_check(parse_file(data, filename="long.docx"))
        runs.append(time.perf_counter() - start)
    seconds = median(runs)
    table.add(
        f"generated, {PAGES} pages",
        f"{len(data) / 1024:,.0f} KB",
        f"{len(parsed.modules)} / {len(parsed.lessons())}",
        len(parsed.images),
        len(runs),
        f"{seconds:.2f}",
        f"< {GOAL_SECONDS:.0f} s {'met' if seconds < GOAL_SECONDS else 'NOT met'}",
    )
    table.data = {"seconds": seconds, "runs": runs}
    return table
