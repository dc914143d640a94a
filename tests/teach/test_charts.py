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


def _scatter(points):
    return _parse(
        scatter_svg(
            points=points,
            title="Items",
            desc="Questions",
            x_label="Facility",
            y_label="Discrimination",
            chart_id="s",
        )
    )


def _label_boxes(root):
    from teach.charts import _label_box

    boxes = []
    for group in root.findall(f".//{SVG}g"):
        text = group.find(f"{SVG}text")
        boxes.append(
            _label_box(
                float(text.get("x")),
                float(text.get("y")),
                text.text,
                text.get("text-anchor"),
            )
        )
    return boxes


def test_points_on_the_same_spot_are_drawn_once_with_every_label():
    root = _scatter([("Q1", 50.0, 20.0, False), ("Q4", 50.0, 20.0, True)])

    groups = root.findall(f".//{SVG}g")
    assert len(groups) == 1
    assert groups[0].find(f"{SVG}text").text == "Q1, Q4"
    tip = groups[0].find(f"{SVG}circle/{SVG}title").text
    assert "Q1" in tip and "Q4" in tip
    assert groups[0].find(f"{SVG}circle").get("fill") == "#dc3545"  # one flagged


def test_labels_of_close_points_never_overlap():
    from teach.charts import _overlaps

    points = [(f"Q{n}", 50.0 + n % 3, 20.0 + n // 3, False) for n in range(9)]
    boxes = _label_boxes(_scatter(points))

    assert len(boxes) == 9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not _overlaps(a, b), (a, b)


def test_a_question_at_0_or_100_percent_is_drawn_hollow_on_the_zero_line():
    root = _scatter([("Q1", 100.0, None, False), ("Q2", 0.0, None, False)])

    circles = root.findall(f".//{SVG}circle")
    assert len(circles) == 2
    assert all(c.get("fill") == "#fff" for c in circles)
    assert circles[0].get("cy") == circles[1].get("cy")  # both on y = 0
    assert [t.text for t in root.findall(f".//{SVG}g/{SVG}text")] == ["Q1", "Q2"]
