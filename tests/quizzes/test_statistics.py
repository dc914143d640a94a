"""Tests for quizzes.statistics (pure Python, no database needed)."""

import math
import random
import statistics

import pytest

from quizzes.statistics import (
    MIN_ATTEMPTS_FOR_STATISTICS,
    distractor_counts,
    flag_items,
    quiz_statistics,
)

approx = pytest.approx

TOP_LEVEL_KEYS = {
    "n",
    "mean",
    "median",
    "sd",
    "skewness",
    "kurtosis",
    "cic",
    "error_ratio",
    "standard_error",
    "max_total",
    "items",
}
ITEM_KEYS = {
    "facility",
    "sd",
    "discrimination_index",
    "discriminative_efficiency",
    "n",
}


# --------------------------------------------------------------------------
# Hand-computed examples
# --------------------------------------------------------------------------

# 4 attempts x 3 questions, max marks 1, 1, 2.
HAND_SCORES = [
    [1, 1, 2],  # total 4
    [1, 0, 1],  # total 2
    [0, 1, 1],  # total 2
    [0, 0, 0],  # total 0
]
HAND_MAX = [1, 1, 2]


def test_hand_example_test_level():
    r = quiz_statistics(HAND_SCORES, HAND_MAX)
    assert set(r) == TOP_LEVEL_KEYS
    assert r["n"] == 4
    assert r["max_total"] == 4
    # totals 4, 2, 2, 0 -> mean 8/4 = 2; sorted 0, 2, 2, 4 -> median (2+2)/2 = 2
    assert r["mean"] == approx(2)
    assert r["median"] == approx(2)
    # deviations 2, 0, 0, -2
    # power2 = 4 + 0 + 0 + 4 = 8 -> sd = sqrt(8 / 3)
    assert r["sd"] == approx(math.sqrt(8 / 3))
    # power3 = 8 + 0 + 0 - 8 = 0 -> k3 = 0 -> skewness 0
    assert r["skewness"] == approx(0, abs=1e-12)
    # power4 = 16 + 16 = 32; m2 = 8/4 = 2, m4 = 32/4 = 8
    # k2 = 4 * 2 / 3 = 8/3
    # k4 = 16 * (5 * 8 - 3 * 3 * 2^2) / (3 * 2 * 1) = 16 * 4 / 6 = 32/3
    # kurtosis = k4 / k2^2 = (32/3) / (64/9) = 3/2
    assert r["kurtosis"] == approx(1.5)
    # item variances (n - 1 = 3):
    #   q1 [1,1,0,0]: mean 1/2, SS = 4 * 1/4 = 1   -> 1/3
    #   q2 [1,0,1,0]: mean 1/2, SS = 1             -> 1/3
    #   q3 [2,1,1,0]: mean 1,   SS = 1 + 0 + 0 + 1 -> 2/3
    #   sum = 4/3; total variance k2 = 8/3
    # cic = 100 * 3/2 * (1 - (4/3) / (8/3)) = 150 * 1/2 = 75
    assert r["cic"] == approx(75)
    # ER = 100 * sqrt(1 - 0.75) = 50; SE = 0.5 * sqrt(8/3) = sqrt(2/3)
    assert r["error_ratio"] == approx(50)
    assert r["standard_error"] == approx(math.sqrt(2 / 3))


def test_hand_example_items():
    items = quiz_statistics(HAND_SCORES, HAND_MAX)["items"]
    assert len(items) == 3
    assert all(set(item) == ITEM_KEYS for item in items)
    assert [item["n"] for item in items] == [4, 4, 4]
    # facility: q1 2/4 / 1, q2 2/4 / 1, q3 (4/4) / 2 -> all 0.5
    assert [item["facility"] for item in items] == approx([0.5, 0.5, 0.5])
    # sd / max: sqrt(1/3) / 1, sqrt(1/3) / 1, sqrt(2/3) / 2
    assert [item["sd"] for item in items] == approx(
        [math.sqrt(1 / 3), math.sqrt(1 / 3), math.sqrt(2 / 3) / 2]
    )

    # q1: item [1,1,0,0] (mean 1/2), rest = total - item = [3,1,2,0] (mean 3/2)
    #   item devs [.5,.5,-.5,-.5], rest devs [1.5,-.5,.5,-1.5]
    #   cross SS = .75 - .25 - .25 + .75 = 1; item SS = 1; rest SS = 5
    #   r = 1 / sqrt(1 * 5) -> DI = 100 / sqrt(5) = 44.72...
    #   cov_max: sorted item [0,0,1,1], sorted rest [0,1,2,3]
    #   devs [-.5,-.5,.5,.5] x [-1.5,-.5,.5,1.5] -> .75 + .25 + .25 + .75 = 2
    #   DE = 100 * 1 / 2 = 50
    assert items[0]["discrimination_index"] == approx(100 / math.sqrt(5))
    assert items[0]["discriminative_efficiency"] == approx(50)
    # q2: item [1,0,1,0], rest [3,2,1,0] (mean 3/2)
    #   cross SS = .75 - .25 - .25 + .75 = 1, rest SS = 5 -> DI = 100 / sqrt(5)
    #   sorted values are the same as for q1 -> cov_max SS = 2 -> DE = 50
    assert items[1]["discrimination_index"] == approx(100 / math.sqrt(5))
    assert items[1]["discriminative_efficiency"] == approx(50)
    # q3: item [2,1,1,0] and rest [2,1,1,0] are identical -> r = 1, DE = 100
    assert items[2]["discrimination_index"] == approx(100)
    assert items[2]["discriminative_efficiency"] == approx(100)


def test_hand_example_negative_discrimination():
    # 5 attempts x 2 one-mark questions.
    scores = [[1, 0], [1, 0], [0, 1], [0, 1], [1, 1]]
    r = quiz_statistics(scores, [1, 1])
    # totals 1,1,1,1,2: mean 6/5 = 1.2, median 1
    assert r["mean"] == approx(1.2)
    assert r["median"] == approx(1)
    # devs -.2 (x4), .8: power2 = 4*.04 + .64 = .8 -> variance .2
    # power3 = 4*(-.008) + .512 = .48; power4 = 4*.0016 + .4096 = .416
    # m2 = .16, m3 = .096, m4 = .0832
    # k3 = 25 * .096 / (4 * 3) = .2 -> skewness = .2 / .2^1.5 = sqrt(5)
    # k4 = 25 * (6*.0832 - 3*4*.0256) / (4*3*2) = 25 * .192 / 24 = .2
    # kurtosis = .2 / .2^2 = 5
    assert r["sd"] == approx(math.sqrt(0.2))
    assert r["skewness"] == approx(math.sqrt(5))
    assert r["kurtosis"] == approx(5)
    # item variances: [1,1,0,0,1] mean .6, SS = 3*.16 + 2*.36 = 1.2 -> .3 each
    # cic = 100 * 2/1 * (1 - .6 / .2) = 200 * (-2) = -400
    # ER = 100 * sqrt(1 + 4) = 100 sqrt(5); SE = sqrt(5) * sqrt(.2) = 1
    assert r["cic"] == approx(-400)
    assert r["error_ratio"] == approx(100 * math.sqrt(5))
    assert r["standard_error"] == approx(1)
    for item in r["items"]:
        # The rest of the test is the other question.
        # devs [.4,.4,-.6,-.6,.4] x [-.6,-.6,.4,.4,.4]:
        # cross SS = -.24*4 + .16 = -.8; both SS = 1.2 -> r = -2/3
        # Both sorted columns are [0,0,1,1,1] -> cov_max SS = 1.2 -> DE = -2/3
        assert item["facility"] == approx(0.6)
        assert item["discrimination_index"] == approx(-200 / 3)
        assert item["discriminative_efficiency"] == approx(-200 / 3)
    assert flag_items(r["items"]) == [
        ["negative_discrimination"],
        ["negative_discrimination"],
    ]


def test_discriminative_efficiency_can_go_below_minus_100():
    # item [0,0,0,1] against rest [1,1,1,0]: perfectly anti-correlated (DI
    # -100).  devs [-.25,-.25,-.25,.75] x [.25,.25,.25,-.75] -> cross SS -.75
    # cov_max pairs sorted [0,0,0,1] with sorted [0,1,1,1]:
    #   [-.25,-.25,-.25,.75] x [-.75,.25,.25,.25] -> .1875-.0625-.0625+.1875
    #   = .25 -> DE = 100 * -.75 / .25 = -300 (as Moodle would report).
    r = quiz_statistics([[0, 1], [0, 1], [0, 1], [1, 0]], [1, 1])
    item = r["items"][0]
    assert item["discrimination_index"] == approx(-100)
    assert item["discriminative_efficiency"] == approx(-300)


# --------------------------------------------------------------------------
# Undefined values and edge cases
# --------------------------------------------------------------------------


def test_empty_input():
    r = quiz_statistics([], [1, 2, 0])
    assert r["n"] == 0
    assert r["max_total"] == 3
    for key in TOP_LEVEL_KEYS - {"n", "max_total", "items"}:
        assert r[key] is None, key
    assert (
        r["items"]
        == [
            {
                "facility": None,
                "sd": None,
                "discrimination_index": None,
                "discriminative_efficiency": None,
                "n": 0,
            }
        ]
        * 3
    )


def test_no_questions_at_all():
    r = quiz_statistics([], [])
    assert r["n"] == 0
    assert r["items"] == []
    assert r["max_total"] == 0
    r = quiz_statistics([[], [], []], [])
    assert r["n"] == 3
    assert r["mean"] == 0
    assert r["sd"] == 0
    assert r["skewness"] is None
    assert r["cic"] is None


def test_single_attempt():
    r = quiz_statistics([[1, 0.5]], [1, 2])
    assert r["n"] == 1
    assert r["mean"] == approx(1.5)
    assert r["median"] == approx(1.5)
    for key in ("sd", "skewness", "kurtosis", "cic", "error_ratio", "standard_error"):
        assert r[key] is None, key
    assert [i["facility"] for i in r["items"]] == approx([1, 0.25])
    for item in r["items"]:
        assert item["n"] == 1
        assert item["sd"] is None
        assert item["discrimination_index"] is None
        assert item["discriminative_efficiency"] is None


def test_two_attempts_follow_moodle_gating():
    # n = 2: sd is defined, skewness needs n >= 3 and -- as in Moodle, whose
    # cic calculation sits inside the n > 2 branch -- so does cic.
    r = quiz_statistics([[1, 1], [0, 0]], [1, 1])
    # totals 2, 0: mean 1, SS 2 -> sd sqrt(2 / 1)
    assert r["sd"] == approx(math.sqrt(2))
    assert r["skewness"] is None
    assert r["kurtosis"] is None
    assert r["cic"] is None
    assert r["error_ratio"] is None
    assert r["standard_error"] is None
    # item-rest correlation is defined (item [1,0], rest [1,0]) -> 100
    assert r["items"][0]["discrimination_index"] == approx(100)


def test_three_attempts_no_kurtosis():
    r = quiz_statistics([[1, 1], [1, 0], [0, 0]], [1, 1])
    # totals 2, 1, 0 symmetric -> skewness 0
    assert r["skewness"] == approx(0, abs=1e-12)
    assert r["kurtosis"] is None
    # item vars: [1,1,0] -> SS 2/3 -> 1/3; [1,0,0] -> 1/3; total var 1
    # cic = 100 * 2 * (1 - 2/3) = 66.66...
    assert r["cic"] == approx(200 / 3)


def test_zero_total_variance():
    # Every attempt scores 1 in total.
    r = quiz_statistics([[1, 0], [0, 1], [1, 0], [0, 1]], [1, 1])
    assert r["sd"] == 0
    assert r["skewness"] is None
    assert r["kurtosis"] is None
    assert r["cic"] is None
    assert r["error_ratio"] is None
    assert r["standard_error"] is None
    # Item-rest correlation is still defined: item 1 vs item 2 -> -100.
    assert r["items"][0]["discrimination_index"] == approx(-100)


def test_zero_variance_item():
    # Q2 is answered correctly by everyone.
    scores = [[1, 1, 0], [0, 1, 1], [1, 1, 1], [0, 1, 0]]
    r = quiz_statistics(scores, [1, 1, 1])
    q2 = r["items"][1]
    assert q2["facility"] == 1
    assert q2["sd"] == 0
    assert q2["discrimination_index"] is None
    assert q2["discriminative_efficiency"] is None
    assert flag_items(r["items"])[1] == ["too_easy"]
    # The other questions are unaffected and cic is defined.
    assert r["items"][0]["discrimination_index"] is not None
    assert r["cic"] is not None


def test_constant_rest_with_rounding_noise_is_treated_as_constant():
    # Q2 + Q3 is 0.4 in every attempt, but 0.1 + 0.3 and 0.2 + 0.2 differ by
    # one ulp in binary floating point.  Q1's rest-of-test therefore has no
    # real variance and its discrimination is undefined (not a spurious -100).
    scores = [[0, 0.1, 0.3], [1, 0.2, 0.2], [0, 0.1, 0.3], [1, 0.2, 0.2]]
    r = quiz_statistics(scores, [1, 1, 1])
    q1 = r["items"][0]
    assert q1["discrimination_index"] is None
    assert q1["discriminative_efficiency"] is None
    assert q1["sd"] == approx(math.sqrt(1 / 3))


def test_constant_fractional_item_has_zero_variance():
    third = 1 / 3
    scores = [[third, 1], [third, 0], [third, 1]]
    item = quiz_statistics(scores, [1, 1])["items"][0]
    assert item["sd"] == 0
    assert item["discrimination_index"] is None


def test_zero_max_mark():
    r = quiz_statistics([[0, 1], [0, 0], [0, 1]], [0, 1])
    assert r["items"][0]["facility"] is None
    assert r["items"][0]["sd"] is None
    assert r["items"][0]["discrimination_index"] is None
    assert r["items"][1]["facility"] == approx(2 / 3)


def test_single_question_has_no_cic():
    r = quiz_statistics([[1], [0], [1], [0.5]], [1])
    assert r["cic"] is None
    assert r["error_ratio"] is None
    assert r["standard_error"] is None
    assert r["sd"] is not None
    # The rest of the test is always 0, so discrimination is undefined.
    assert r["items"][0]["discrimination_index"] is None
    assert r["items"][0]["facility"] == approx(0.625)


def test_median_odd_and_even():
    assert quiz_statistics([[3], [1], [2]], [5])["median"] == 2
    assert quiz_statistics([[4], [1], [2], [10]], [10])["median"] == 3


def test_accepts_tuples_and_iterators():
    r = quiz_statistics(iter([(1, 0), (0, 1), (1, 1)]), (1, 1))
    assert r["n"] == 3
    assert r["mean"] == approx(4 / 3)


def test_below_min_attempts_still_computes():
    assert MIN_ATTEMPTS_FOR_STATISTICS == 10
    r = quiz_statistics(HAND_SCORES, HAND_MAX)
    assert r["n"] < MIN_ATTEMPTS_FOR_STATISTICS
    assert r["cic"] is not None


# --------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "max_marks", "message"),
    [
        ([[1, 0], [1]], [1, 1], r"row 1 has 1 marks but there are 2 questions"),
        ([[1, 0, 1]], [1, 1], r"row 0 has 3 marks"),
        ([[1, 0]], [1, -1], r"max_marks\[1\] is negative"),
        ([[1, 0]], [1, math.nan], r"max_marks\[1\] is not a finite"),
        ([[1, "x"]], [1, 1], r"row 0 must contain only numbers"),
        ([[1, None]], [1, 1], r"row 0 must contain only numbers"),
        ([[1, 0], [math.inf, 0]], [1, 1], r"row 1 contains a non-finite"),
        ([[1, 0], [math.nan, 0]], [1, 1], r"row 1 contains a non-finite"),
    ],
)
def test_invalid_input_raises_value_error(scores, max_marks, message):
    with pytest.raises(ValueError, match=message):
        quiz_statistics(scores, max_marks)


def test_strings_instead_of_sequences_raise_type_error():
    with pytest.raises(TypeError, match="row 0 is a string"):
        quiz_statistics(["10"], [1, 1])
    with pytest.raises(TypeError, match="not a string"):
        quiz_statistics([[1, 0]], "11")
    with pytest.raises(TypeError, match="not a string"):
        distractor_counts(["a"], "abc")


# --------------------------------------------------------------------------
# Property-style checks on random data
# --------------------------------------------------------------------------


def _alpha_from_covariance_matrix(columns):
    """Cronbach's alpha = k/(k-1) * (1 - trace(C) / sum(C)), C = cov matrix."""
    k = len(columns)
    cov = [[statistics.covariance(a, b) for b in columns] for a in columns]
    trace = sum(cov[i][i] for i in range(k))
    everything = sum(sum(row) for row in cov)
    return k / (k - 1) * (1 - trace / everything)


def _random_scores(rng, n, max_marks):
    rows = []
    for _ in range(n):
        ability = rng.random()
        row = []
        for m in max_marks:
            # Partial credit in steps of 1/4 of the max mark, correlated
            # with the attempt's "ability".
            p = 0.6 * ability + 0.4 * rng.random()
            row.append(round(p * 4) / 4 * m)
        rows.append(row)
    return rows


@pytest.mark.parametrize("seed", range(8))
def test_random_data_properties(seed):
    rng = random.Random(seed)
    q = rng.randint(2, 8)
    n = rng.randint(5, 60)
    max_marks = [rng.choice([1, 2, 3, 0.5, 10]) for _ in range(q)]
    scores = _random_scores(rng, n, max_marks)
    r = quiz_statistics(scores, max_marks)

    totals = [sum(row) for row in scores]
    columns = [list(col) for col in zip(*scores, strict=True)]
    assert r["n"] == n
    assert r["max_total"] == approx(sum(max_marks))
    assert r["mean"] == approx(statistics.fmean(totals))
    assert r["median"] == approx(statistics.median(totals))
    assert r["sd"] == approx(statistics.stdev(totals))

    # Moodle's k3/k2^1.5 and k4/k2^2 are the adjusted Fisher-Pearson G1, G2
    # (Excel's SKEW/KURT); check against the textbook forms.
    mean = statistics.fmean(totals)
    m2 = sum((t - mean) ** 2 for t in totals) / n
    m3 = sum((t - mean) ** 3 for t in totals) / n
    m4 = sum((t - mean) ** 4 for t in totals) / n
    g1 = m3 / m2**1.5
    g2 = m4 / m2**2 - 3
    big_g1 = math.sqrt(n * (n - 1)) / (n - 2) * g1
    big_g2 = (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)
    assert r["skewness"] == approx(big_g1, rel=1e-9, abs=1e-9)
    assert r["kurtosis"] == approx(big_g2, rel=1e-9, abs=1e-9)

    alpha = _alpha_from_covariance_matrix(columns)
    assert r["cic"] == approx(100 * alpha, rel=1e-9, abs=1e-9)
    assert r["error_ratio"] == approx(100 * math.sqrt(1 - alpha))
    assert r["standard_error"] == approx(math.sqrt(1 - alpha) * r["sd"])

    for j, item in enumerate(r["items"]):
        col = columns[j]
        rest = [t - x for t, x in zip(totals, col, strict=True)]
        assert item["n"] == n
        assert 0 <= item["facility"] <= 1
        assert item["facility"] == approx(statistics.fmean(col) / max_marks[j])
        assert item["sd"] == approx(statistics.stdev(col) / max_marks[j])
        di = item["discrimination_index"]
        de = item["discriminative_efficiency"]
        if len(set(col)) == 1 or len(set(rest)) == 1:
            assert di is None
            assert de is None
            continue
        assert -100 <= di <= 100
        assert di == approx(100 * statistics.correlation(col, rest))
        # cov_max <= sqrt(var(x) var(rest)) (Cauchy-Schwarz), so DE has the
        # same sign as DI and at least its magnitude, and DE <= 100.
        assert de <= 100 + 1e-9
        assert abs(de) >= abs(di) - 1e-9
        assert (de >= 0) == (di >= 0)


def test_large_input_shape():
    rng = random.Random(12345)
    max_marks = [rng.choice([1, 2, 5]) for _ in range(30)]
    scores = [[rng.randint(0, 4) / 4 * m for m in max_marks] for _ in range(5000)]
    r = quiz_statistics(scores, max_marks)
    assert r["n"] == 5000
    assert len(r["items"]) == 30
    assert all(item["n"] == 5000 for item in r["items"])
    assert r["cic"] is not None
    assert r["max_total"] == sum(max_marks)


# --------------------------------------------------------------------------
# distractor_counts
# --------------------------------------------------------------------------


def test_distractor_counts_single_choice():
    responses = ["a", "b", "a", None, "a"]
    assert distractor_counts(responses, ["a", "b", "c", "d"]) == {
        "a": 3,
        "b": 1,
        "c": 0,
        "d": 0,
    }


def test_distractor_counts_multiple_response_and_order():
    responses = [["a", "c"], ["c"], ("c", "c"), [], None, "b"]
    counts = distractor_counts(iter(responses), ["c", "b", "a"])
    assert counts == {"c": 3, "b": 1, "a": 1}
    assert list(counts) == ["c", "b", "a"]


def test_distractor_counts_ignores_unknown_and_handles_no_responses():
    assert distractor_counts(["z", ["a", "z"]], ["a", "b"]) == {"a": 1, "b": 0}
    assert distractor_counts([], ["a", "b"]) == {"a": 0, "b": 0}


def test_distractor_counts_rejects_duplicate_option_ids():
    with pytest.raises(ValueError, match="duplicates"):
        distractor_counts(["a"], ["a", "a"])


# --------------------------------------------------------------------------
# flag_items
# --------------------------------------------------------------------------


def _item(facility=0.5, discrimination=30.0):
    return {
        "facility": facility,
        "sd": 0.3,
        "discrimination_index": discrimination,
        "discriminative_efficiency": 40.0,
        "n": 20,
    }


def test_flag_items_thresholds():
    items = [
        _item(),
        _item(facility=0.96),
        _item(facility=0.95),  # boundary: not flagged
        _item(facility=0.19),
        _item(facility=0.2),  # boundary: not flagged
        _item(discrimination=-0.1),
        _item(discrimination=0.0),
        _item(facility=0.1, discrimination=-5),
        _item(facility=None, discrimination=None),
    ]
    assert flag_items(items) == [
        [],
        ["too_easy"],
        [],
        ["too_hard"],
        [],
        ["negative_discrimination"],
        [],
        ["negative_discrimination", "too_hard"],
        [],
    ]


def test_flag_items_unused_options():
    items = [_item(), _item(), _item()]
    option_counts = [{"a": 3, "b": 0}, None, {"a": 1, "b": 2}]
    assert flag_items(items, option_counts=option_counts) == [
        ["unused_option"],
        [],
        [],
    ]


def test_flag_items_with_distractor_counts_and_statistics():
    r = quiz_statistics([[1, 1], [1, 0], [1, 0], [1, 1]], [1, 1])
    counts = [
        distractor_counts(["a", "a", "a", "a"], ["a", "b", "c"]),
        None,
    ]
    assert flag_items(r["items"], option_counts=counts) == [
        ["too_easy", "unused_option"],
        [],
    ]


def test_flag_items_option_counts_length_mismatch():
    with pytest.raises(ValueError, match="option_counts has 1 entries"):
        flag_items([_item(), _item()], option_counts=[None])
