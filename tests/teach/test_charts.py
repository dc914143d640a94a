"""Server-side SVG charts: named and described for assistive technology, with
every label escaped."""

from xml.etree import ElementTree

from teach.charts import histogram_svg, scatter_svg

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str):
    return ElementTree.fromstring(svg)


def test_a_histogram_is_an_accessible_image_with_a_bar_per_bin():
    svg = histogram_svg(
        counts=[1, 0, 5],
        labels=["0–10", "10–20", "20–30"],
        title="Scores",
        desc="Three bins",
        chart_id="h",
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "h-title h-desc"
    assert root.find(f"{SVG}title").text == "Scores"
    assert root.find(f"{SVG}desc").text == "Three bins"
    bars = root.findall(f"{SVG}rect")
    assert len(bars) == 3
    assert bars[2].find(f"{SVG}title").text == "20–30: 5"
    assert float(bars[1].get("height")) == 0


def test_scatter_points_are_placed_and_flagged_ones_marked():
    svg = scatter_svg(
        points=[("Q1", 50.0, 0.0, False), ("Q2", 100.0, -100.0, True)],
        title="Items",
        desc="Two questions",
        x_label="Facility",
        y_label="Discrimination",
        chart_id="s",
    )
    circles = _parse(svg).findall(f".//{SVG}circle")
    assert len(circles) == 2
    assert circles[1].get("fill") == "#dc3545"
    assert float(circles[1].get("cy")) > float(circles[0].get("cy"))


def test_text_is_escaped():
    svg = histogram_svg(
        counts=[1],
        labels=["<b>"],
        title="</title><script>alert(1)</script>",
        desc="&",
    )
    assert "<script>" not in svg
    _parse(svg)  # still well-formed
